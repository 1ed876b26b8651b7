#pragma once
// DEV: what a phone's stored state opens by itself, split by where the key sits, so
// that each part of the state a stolen phone gives away is counted on its own (KS-022):
// the key-share book, the live receive chains, the group keys of its memberships, and its
// private encryption key (the key shares recorded on the wire that it opens).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "spmc/key_share.hpp"
#include "spmc/phone.hpp"
#include "spmc/profile.hpp"
#include "spmc/sim/attacker.hpp"

namespace spmc::sim {

// A copy of the key material of one phone's state, taken at one instant.
struct DeviceState {
  struct Share {
    std::string sender;     // pairwise: the sender's user id; group: empty
    std::string recipient;  // pairwise: this phone's user id; group: the group id
    keyshare::KeySharePlain share;
  };
  struct Chain {
    std::string sender;  // the contact whose messages it opens, or the group id
    TimeMs key_timestamp = 0;
    std::uint16_t sender_index = 0;  // group chains only
    bool group = false;
    Bytes state;  // ReceiveChain::encode_state, limits below
    Limits limits;
  };

  std::string user_id;
  crypto::X25519Secret enc_secret{};
  std::vector<Share> book;        // key material the key-share book holds (KS-022: none)
  std::vector<Chain> chains;      // every receive chain, pairwise and group
  std::vector<Share> group_keys;  // each membership's share and the replaced ones (GRP-012)
};

DeviceState take_device_state(const phone::PersistentState& s);

// Envelopes recorded before `before` that each part of the state opens.
struct DeviceOpens {
  std::uint64_t recorded = 0;  // envelopes recorded before the compromise
  std::uint64_t by_book = 0;
  std::uint64_t by_chains = 0;
  std::uint64_t by_group_keys = 0;
  std::uint64_t by_private_key = 0;
  std::uint64_t by_any = 0;
  std::uint64_t book_shares = 0;  // pairwise and group shares the book held with their key
};

DeviceOpens count_device_opens(const Profile& profile, const DeviceState& taken,
                               const std::vector<RecordedPayload>& recorded, TimeUs before,
                               const AttackerKnowledge::SignKeyOf& sign_key_of);

std::string describe(const DeviceOpens& o);

}  // namespace spmc::sim
