#pragma once
// What an adversary knows, and what it can compute from it (spec/requirements_evidence.md).
// It records the relayed payloads it saw (key shares and envelopes, as opaque bytes), and
// learns secrets the way its attack allows: its own key certified under a victim's id, a
// compromised phone's encryption key, a removed member's group share. analyse() then does
// what a real attacker would: opens every recorded key share it holds a key for, derives
// the ratchet keys (Fig. 5) from every share it opened, and opens every envelope it can.
// It tells the world what was read; it never changes the world.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "spmc/bytes.hpp"
#include "spmc/crypto.hpp"
#include "spmc/envelope.hpp"
#include "spmc/key_share.hpp"
#include "spmc/profile.hpp"
#include "spmc/server_proto.hpp"
#include "spmc/sim/event_queue.hpp"

namespace spmc::sim {

struct ReadMessage {
  std::uint64_t uid = 0;  // the canary id of the workload message (checkers.hpp)
  std::string from;
  std::string to;             // user id, or the group id
  TimeUs recorded_at = 0;     // when the adversary saw the envelope
  std::uint64_t sent_ms = 0;  // the envelope's sent_ms: the sender's application time
};

struct RecordedPayload {
  std::string from;
  std::string to;
  proto::PayloadKind kind = proto::PayloadKind::kEnvelope;
  Bytes payload;
  TimeUs at = 0;
};

struct AttackFindings {
  std::uint64_t shares_recorded = 0;
  std::uint64_t envelopes_recorded = 0;
  std::uint64_t shares_opened = 0;
  std::uint64_t attempts = 0;         // key-share opens and envelope opens tried
  std::uint64_t u2u_hashes_seen = 0;  // U2U payloads read: input to a dictionary attack
  std::vector<ReadMessage> read;      // in recording order
};

class AttackerKnowledge {
 public:
  // The public directory every server holds: a user's certified signature key, used to
  // open hardened key shares (whose signature is checked before the box is opened).
  using SignKeyOf = std::function<std::optional<crypto::Ed25519Public>(const std::string& user)>;

  explicit AttackerKnowledge(const Profile& profile) : m_profile(profile) {}

  void record(const std::string& from, const std::string& to, proto::PayloadKind kind,
              ByteView payload, TimeUs at);
  // A secret key that opens key shares sealed to `user` (its own forged key, or a leak).
  void learn_enc_secret(const std::string& user, const crypto::X25519Secret& secret);
  // A share learnt directly (a removed member's group share, a share the attacker opened
  // in flight). `sender` is the user id (pairwise) and `recipient` the user or group id.
  void learn_share(const std::string& sender, const std::string& recipient,
                   const keyshare::KeySharePlain& share);

  AttackFindings analyse(const SignKeyOf& sign_key_of) const;
  // Opens one envelope now with the shares learnt so far (no recorded key shares tried).
  std::optional<envelope::AppPayload> open_now(const envelope::Envelope& envelope) const;
  // The message key of one envelope under the shares learnt so far.
  std::optional<Block> key_for(const envelope::Envelope& envelope) const;
  // Everything recorded, once each, in recording order.
  const std::vector<RecordedPayload>& recorded() const { return m_recorded; }

 private:
  // Pairwise shares by (sender, recipient, timestamp); group shares by (group id, "",
  // timestamp) since every member sends under the same share (GRP-002).
  using ShareKey = std::tuple<std::string, std::string, std::uint64_t>;

  static std::optional<Block> key_with(const std::map<ShareKey, keyshare::KeySharePlain>& shares,
                                       const envelope::Envelope& e);
  static std::optional<envelope::AppPayload> open_with(
      const std::map<ShareKey, keyshare::KeySharePlain>& shares, const envelope::Envelope& e);

  const Profile& m_profile;
  std::vector<RecordedPayload> m_recorded;
  std::set<Bytes> m_seen;  // a group message's N relay copies are one envelope
  std::multimap<std::string, crypto::X25519Secret> m_enc_secrets;
  std::map<ShareKey, keyshare::KeySharePlain> m_learnt;
};

}  // namespace spmc::sim
