#pragma once
// The invariants of a reinstall (scenario `lifecycle.reinstalls_per_hour`; PH-021, STO-005):
//   reinstall_revokes_old_certificates  the server revoked the old installation's
//                                       certificates and no contact still holds them;
//   reinstall_loses_nothing             every item the server accepted for a reinstalled user
//                                       reached one of its installations (its Ack reached
//                                       the server); a message sealed to a share that went to an
//                                       old installation is owed that delivery attempt, not
//                                       an opening (STO-005: unreadable after recovery);
//   reinstall_old_keys_read_nothing     no key share sealed to the new installation opens
//                                       with the old installation's key, and no envelope to
//                                       or from the new installation is under a key the old
//                                       one held (the world keeps the old store to try).
// Judged only in worlds that draw reinstalls, so every other report is unchanged.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "spmc/phone.hpp"
#include "spmc/sim/checkers.hpp"
#include "world_api.hpp"

namespace spmc::sim {

class LifecycleChecker final : public Checker {
 public:
  explicit LifecycleChecker(const WorldApi& world) : m_world(world) {}
  // The scenario draws reinstalls: the three invariants are judged (else nothing is kept).
  void enable() { m_enabled = true; }
  bool enabled() const { return m_enabled; }
  // reinstall_old_keys_read_nothing is judged as items are relayed: it records when it failed.
  void set_clock(const EventQueue& clock) { m_old_keys.set_clock(clock); }

  // `user`'s phone is about to reinstall; `old` is its store as it is (the old keys).
  void reinstalled(const std::string& user, const phone::PersistentState& old);
  // What the phones say about key shares and contacts (keyshare_send, contact_added,
  // group_create, group_add, group_remove): which installation each share was sealed for.
  void phone_event(const std::string& user, const phone::PhoneEvent& ev);
  // The server accepted an item for `to`, stored as `id`; a frame from `from`'s phone reached
  // the server (an Ack in it: that installation processed the item, PH-012).
  void relayed(const std::string& from, const std::string& to, std::uint64_t id,
               proto::PayloadKind kind, ByteView payload);
  void received(const std::string& from, ByteView frame);
  // Before the delivery checker's finish: the messages sealed to a share that went to an
  // installation their recipient has since replaced (owed an attempt, judged here), and those
  // under a share an installation since replaced drew that their recipient never accepted
  // (its certificates were revoked before it arrived: refused, CERT-005).
  void excuse_unreadable(DeliveryChecker& delivery);
  void judge(std::vector<InvariantResult>& out) const override;
  std::uint64_t reinstalls() const { return m_old.size(); }

 private:
  // What the old store held that could read anything: its certificates, its encryption key
  // and which keys (by sender or contact or group, and timestamp) it had chains for.
  using KeyIds = std::set<std::pair<std::string, TimeMs>>;
  struct OldInstallation {
    std::string user;
    std::uint32_t generation = 0;  // the installation it was (0: the first)
    std::optional<cert::Certificate> sign_cert;
    std::optional<cert::Certificate> enc_cert;
    crypto::X25519Secret enc_secret{};
    KeyIds receive;  // (sender, key timestamp)
    KeyIds send;     // (contact, key timestamp)
    KeyIds groups;   // (group id, share timestamp), current and replaced shares
  };
  // A share (its recipient, scope: the sender's user id or the group id, timestamp).
  using ShareId = std::tuple<std::string, std::string, TimeMs>;
  struct Envelope {
    std::string to;
    std::uint64_t id = 0;
    DeliveryChecker::Key key;
  };
  std::uint32_t generation(const std::string& user) const;
  std::uint64_t enc_serial(const std::string& user) const;  // 0: not certified
  void check_share_to(const std::string& from, const std::string& to, ByteView payload);
  void check_envelope(const std::string& from, const std::string& to, ByteView payload);
  bool held_by_old(const std::string& user, const envelope::EnvelopeHeader& h, bool outgoing,
                   const std::string& peer) const;

  const WorldApi& m_world;
  bool m_enabled = false;
  std::vector<OldInstallation> m_old;
  std::map<std::string, std::uint32_t> m_generation;  // user -> current installation
  // A share -> the serial of the recipient's encryption certificate it was sealed to (a
  // phone whose certificates reply was lost certifies new keys again at its next login, so
  // one installation may have had several).
  std::map<ShareId, std::uint64_t> m_sealed_to;
  // An organiser's own group share -> the installation of the organiser that drew it.
  std::map<ShareId, std::uint32_t> m_share_generation;
  // A pairwise share a phone sent -> the installation of the sender that drew it.
  std::map<ShareId, std::uint32_t> m_sender_generation;
  std::set<ShareId> m_accepted;  // (recipient, scope, timestamp) of every share accepted
  std::map<std::pair<std::string, std::uint64_t>, bool> m_items;  // (to, id) -> acknowledged
  std::vector<Envelope> m_envelopes;
  std::set<std::pair<std::string, std::uint64_t>> m_excused;  // (to, id)
  Invariant m_old_keys{InvariantName::kReinstallOldKeysReadNothing};
};

}  // namespace spmc::sim
