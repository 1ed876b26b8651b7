#pragma once
// STO-009: the effects of one phone call, held until the store has been written. Every public
// entry point of Phone wraps the caller's effects in a Batch; a call made from inside another
// (reinstall -> connect) joins the outermost one, so a call's write comes once, at its end,
// before anything it did becomes visible outside the phone.
#include <variant>
#include <vector>

#include "spmc/phone.hpp"

namespace spmc::phone {

// SHA-256 of a state encoding without its generation (STO-012): what decides whether a call
// changed anything worth writing.
crypto::Digest content_digest(ByteView plain);

class Phone::Batch final : public PhoneEffects {
 public:
  Batch(Phone& phone, PhoneEffects& out);
  ~Batch() override;
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  void transmit(Bytes frame) override;
  void deliver(const Delivered& message) override;
  void event(const PhoneEvent& event) override;
  void ask_user(const UserPrompt& prompt) override;
  // An observation point for the world's secrecy checker, not an effect outside the phone.
  void secret(ByteView secret) override { m_out.secret(secret); }
  // The phone writes through the caller's effects only (Phone::persist).
  void persist(ByteView store_file) override { m_out.persist(store_file); }

 private:
  using Effect = std::variant<Bytes, Delivered, PhoneEvent, UserPrompt>;
  void release();

  Phone& m_phone;
  PhoneEffects& m_out;
  Batch* m_outer;  // the outermost batch of this call, or nullptr when this is it
  std::vector<Effect> m_held;
};

}  // namespace spmc::phone
