// The phone's local store as a protocol effect (STO-009..STO-012, PH-023, PH-024): the state
// is sealed and written at the end of every call that changed it, before the call's frames,
// deliveries and events leave; a restarted phone reads it back behind the PIN.
#include <utility>

#include "phone_batch.hpp"
#include "spmc/phone.hpp"
#include "spmc/phone_store.hpp"

namespace spmc::phone {

// What a write is judged by: the state without its generation (STO-012), so a call that
// changes nothing writes nothing.
crypto::Digest content_digest(ByteView plain) {
  SPMC_CHECK(plain.size() >= kGenerationSize);
  return crypto::sha256(plain.first(plain.size() - kGenerationSize));
}

Phone::Batch::Batch(Phone& phone, PhoneEffects& out)
    : m_phone(phone), m_out(out), m_outer(phone.m_batch) {
  if (m_outer == nullptr) {
    m_phone.m_batch = this;
  }
}

Phone::Batch::~Batch() {
  if (m_outer != nullptr) {
    return;
  }
  m_phone.m_batch = nullptr;
  if (m_phone.m_config.bug == PhoneBug::kReleasesBeforePersist) {
    release();
    m_phone.persist(m_out);
    return;
  }
  m_phone.persist(m_out);
  release();
}

void Phone::Batch::transmit(Bytes frame) {
  if (m_outer != nullptr) {
    m_outer->transmit(std::move(frame));
    return;
  }
  m_held.emplace_back(std::move(frame));
}

void Phone::Batch::deliver(const Delivered& message) {
  if (m_outer != nullptr) {
    m_outer->deliver(message);
    return;
  }
  m_held.emplace_back(message);
}

void Phone::Batch::event(const PhoneEvent& event) {
  if (m_outer != nullptr) {
    m_outer->event(event);
    return;
  }
  m_held.emplace_back(event);
}

void Phone::Batch::ask_user(const UserPrompt& prompt) {
  if (m_outer != nullptr) {
    m_outer->ask_user(prompt);
    return;
  }
  m_held.emplace_back(prompt);
}

// In the order the phone produced them. The caller's handlers may call the phone again: this
// batch is no longer the phone's, so such a call is a new one with its own write.
void Phone::Batch::release() {
  std::vector<Effect> held = std::exchange(m_held, {});
  for (Effect& e : held) {
    if (auto* frame = std::get_if<Bytes>(&e)) {
      m_out.transmit(std::move(*frame));
    } else if (const auto* m = std::get_if<Delivered>(&e)) {
      m_out.deliver(*m);
    } else if (const auto* ev = std::get_if<PhoneEvent>(&e)) {
      m_out.event(*ev);
    } else {
      m_out.ask_user(std::get<UserPrompt>(e));
    }
  }
}

// STO-009: write the store when the state differs from what was last written. A phone with
// no store yet (before sign-up) or waiting for its PIN has nothing to write.
void Phone::persist(PhoneEffects& out) {
  if (!m_store || !m_store->open()) {
    return;
  }
  if (std::exchange(m_skip_persist, false)) {
    return;  // PhoneBug::kSkipsPersistOnSend
  }
  Bytes plain = encode_state(m_state);
  const crypto::Digest digest = content_digest(plain);
  if (digest != m_persisted) {
    // STO-012: a new generation, stamped into the encoding's last field in place.
    const std::uint64_t generation = ++m_state.store_generation;
    for (std::size_t i = 0; i < kGenerationSize; ++i) {
      plain[plain.size() - 1 - i] = static_cast<std::uint8_t>(generation >> (8 * i));
    }
    m_store->seal(m_store_rng, plain);
    m_persisted = digest;
    out.persist(m_store->file());
  }
  secure_wipe(plain);
}

Status Phone::unlock(std::string_view pin, PhoneEffects& out) {
  SPMC_CHECK(m_store && m_batch == nullptr);
  if (m_store->open()) {
    return ok_status();
  }
  const Bytes before = m_store->file();
  auto plain = m_store->unlock(pin);
  if (m_store->file() != before) {
    out.persist(m_store->file());  // STO-003: a wrong PIN counts before the answer
  }
  if (!plain.ok()) {
    return plain.error();
  }
  auto state = decode_state(*plain, m_profile);
  if (!state.ok()) {
    m_store->lock();
    secure_wipe(*plain);
    return state.error();
  }
  m_persisted = content_digest(*plain);
  secure_wipe(*plain);
  m_state = std::move(*state);
  m_last_sync_local = 0;
  return ok_status();
}

// PH-021 / STO-005: a new installation for an existing account. The old store is gone; a new
// storage key is drawn (section 3.3 step 3(c) again) and the first state written at once.
void Phone::install(std::string email, std::string user_id, Bytes password, std::string_view pin,
                    PhoneEffects& fx) {
  PersistentState fresh;
  fresh.account = AccountState::kVerified;
  fresh.email = std::move(email);
  fresh.password = std::move(password);
  fresh.book.emplace(user_id);
  fresh.user_id = std::move(user_id);
  m_state = std::move(fresh);
  const Bytes initial = encode_state(m_state);
  m_store.emplace(storage::LocalStore::create(m_store_rng, m_profile, pin, initial));
  m_persisted = content_digest(initial);
  fx.persist(m_store->file());
}

// PH-023: the history keeps the newest entries within the configured bound; the oldest of all
// conversations goes first, and a body larger than the whole bound is not kept.
void Phone::remember(bool outgoing, const std::string& conversation, const std::string& from,
                     bool group, TimeMs sent_ms, const Bytes& body) {
  const std::size_t bound = m_config.history_max_bytes;
  if (body.size() > bound) {
    return;
  }
  auto& h = m_state.history;
  while (!h.empty() && m_state.history_bytes + body.size() > bound) {
    m_state.history_bytes -= h.front().body.size();
    h.pop_front();
  }
  h.push_back(HistoryEntry{conversation, from, outgoing, group, sent_ms, body});
  m_state.history_bytes += body.size();
}

}  // namespace spmc::phone
