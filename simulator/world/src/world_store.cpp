// The phones' storage (spec/storage.md STO-009..STO-012): each phone's flash holds two copies
// of its store file, written alternately; a crash drops the phone object, and a restart reads
// the copies back, newest first, and unlocks the one that opens with the PIN the user types.
// Storage faults (scenario faults.storage) strike writes and reads, drawn from their own
// stream so that turning them on moves no other draw.
#include <algorithm>

#include "spmc/phone_store.hpp"
#include "world_impl.hpp"

namespace spmc::sim {

namespace {

bool same_state(const phone::PersistentState& a, const phone::PersistentState& b) {
  return crypto::sha256(phone::encode_state(a)) == crypto::sha256(phone::encode_state(b));
}

bool in_history(const phone::PersistentState& s, const phone::HistoryEntry& e) {
  return std::find(s.history.rbegin(), s.history.rend(), e) != s.history.rend();
}

}  // namespace

phone::PhoneConfig World::Impl::phone_config() const {
  phone::PhoneConfig pc;
  pc.bug = m_options.phone_bug;
  pc.key_lifetime = phone_key_lifetime(m_scenario.lifecycle);
  return pc;
}

std::unique_ptr<phone::Phone> World::Impl::make_phone(PhoneNode& p) {
  return std::make_unique<phone::Phone>(m_profile, *p.rng, *p.clock, m_server->ca_public(),
                                        phone_config(), p.store_rng.get());
}

// STO-012: a write goes to the slot the newest copy is not in. In the safety phase the phone
// may die during it (faults.storage): the write is lost, or its slot is left torn.
void World::Impl::on_persist(std::uint32_t index, ByteView file) {
  PhoneNode& p = *m_phones[index];
  if (p.dying) {
    return;  // the process is gone: nothing more reaches the flash
  }
  PhoneDisk& d = p.disk;
  if (p.loading) {
    // STO-012: an unlock's write (a wrong PIN counted, or the count reset) goes into the copy
    // it was read from, so a wrong PIN never overwrites the other copy.
    SPMC_CHECK(p.loading_slot >= 0);
    d.slots[static_cast<std::size_t>(p.loading_slot)].assign(file.begin(), file.end());
    return;
  }
  const int target = d.newest < 0 ? 0 : 1 - d.newest;
  const auto& faults = m_scenario.faults.storage;
  if (faults && m_safety && !p.loading) {
    if (faults->lost_write_ppm != 0 && m_storage_rng.bernoulli_ppm(faults->lost_write_ppm)) {
      die_in_write(p, "lost_write");
      return;
    }
    if (faults->torn_write_ppm != 0 && m_storage_rng.bernoulli_ppm(faults->torn_write_ppm) &&
        file.size() > 1) {
      // A prefix of the new file over whatever the slot held.
      const std::size_t cut = 1 + m_storage_rng.uniform(file.size() - 1);
      Bytes& slot = d.slots[static_cast<std::size_t>(target)];
      if (slot.size() < cut) {
        slot.resize(cut);
      }
      std::copy(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(cut), slot.begin());
      d.newest = target;
      die_in_write(p, "torn_write");
      return;
    }
  }
  d.slots[static_cast<std::size_t>(target)].assign(file.begin(), file.end());
  d.newest = target;
  d.complete = target;
}

void World::Impl::crash_phone(PhoneNode& p) {
  // PH-020: the application's memory is gone; what it wrote to its store is not.
  p.phone->crash();
  set_phone_online(p, false);
  p.up = false;
  record("phone_crash", p.index, "");
  schedule_restart(p);
}

// The phone died inside one of its calls: the rest of that call never happens (PhoneFx drops
// its effects), and the world finishes the crash once the call has returned.
void World::Impl::die_in_write(PhoneNode& p, std::string_view why) {
  p.dying = true;
  p.up = false;
  record("phone_crash", p.index, std::string(why));
  m_queue.schedule_after(0, [this, &p] {
    set_phone_online(p, false);
    schedule_restart(p);
  });
}

void World::Impl::schedule_restart(PhoneNode& p) {
  const TimeUs down =
      m_fault_rng.exponential(m_scenario.faults.crashes.mean_downtime_ms * kUsPerMs);
  m_queue.schedule_after(down, [this, &p] {
    if (m_safety && !p.up) {
      restart_phone(p);
      set_phone_online(p, true);
    }
  });
}

// STO-012: a copy is read until two reads agree, so a transient read fault is never taken for
// a wrong PIN (the wrapped key's tag cannot tell the two apart) and written back.
Bytes World::Impl::read_copy(PhoneNode& p, int slot) {
  const Bytes& stored = p.disk.slots[static_cast<std::size_t>(slot)];
  const auto& faults = m_scenario.faults.storage;
  const std::uint32_t ppm = faults ? faults->corrupt_read_ppm : 0;
  auto read = [&] {
    Bytes b = stored;
    if (ppm != 0 && !b.empty() && m_storage_rng.bernoulli_ppm(ppm)) {
      b[m_storage_rng.uniform(b.size())] ^=
          static_cast<std::uint8_t>(1 + m_storage_rng.uniform(255));
      record("store_read_fault", p.index, "slot " + std::to_string(slot));
    }
    return b;
  };
  Bytes last = read();
  for (;;) {
    Bytes next = read();
    if (next == last) {
      return next;
    }
    last = std::move(next);
  }
}

// The application starts again (STO-012): both copies are read; the user types the PIN for
// the first that decodes (a wrong PIN counted in that copy, in place), the app opens the
// others with the same PIN, and the state with the highest generation wins. A copy a torn
// write left unchanged is an older generation, not the newest file. Three wrong PINs, or no
// copy that opens: the user reinstalls (STO-005).
void World::Impl::restart_phone(PhoneNode& p) {
  std::unique_ptr<phone::Phone> old = std::move(p.phone);
  const bool clean_crash = !p.dying;
  p.dying = false;
  p.loading = true;
  PhoneDisk& d = p.disk;
  const Bytes expected = d.complete < 0 ? Bytes() : d.slots[static_cast<std::size_t>(d.complete)];
  std::unique_ptr<phone::Phone> loaded;
  Bytes accepted;
  int loaded_slot = -1;
  bool locked_out = false;
  bool pin_known = false;
  for (const int slot : {d.newest, d.newest < 0 ? -1 : 1 - d.newest}) {
    if (slot < 0 || d.slots[static_cast<std::size_t>(slot)].empty() || locked_out) {
      continue;
    }
    Bytes bytes = read_copy(p, slot);
    auto store = storage::LocalStore::load(bytes);
    if (!store.ok()) {
      record("store_refused", p.index, std::string(error_name(store.code())));
      continue;
    }
    auto candidate =
        std::make_unique<phone::Phone>(m_profile, *p.rng, *p.clock, m_server->ca_public(),
                                       phone_config(), std::move(*store), p.store_rng.get());
    p.loading_slot = slot;  // a wrong PIN is counted in this copy
    const Status st = pin_known ? candidate->unlock(p.pin, *p.fx) : type_pin(p, *candidate);
    if (st.ok()) {
      pin_known = true;
      if (!loaded || candidate->state().store_generation > loaded->state().store_generation) {
        loaded = std::move(candidate);
        accepted = std::move(bytes);
        loaded_slot = slot;
      }
    } else if (st.code() == ErrorCode::kLocked) {
      locked_out = true;
    } else {
      record("store_refused", p.index, std::string(error_name(st.code())));
    }
  }
  p.loading = false;
  p.loading_slot = -1;
  p.forgot_pin = false;
  if (!loaded || locked_out) {
    // STO-005: nothing opens, or the PIN is lost: a new installation for the same account,
    // with the credentials the user types again and a new PIN.
    if (locked_out) {
      record("store_locked", p.index, "");
    }
    p.phone = make_phone(p);
    p.up = true;
    record("phone_restart", p.index, "reinstall");
    note_reinstall(p, old->state());
    p.phone->reinstall(p.email, p.user_id, bytes_of("pw-" + p.email), p.pin, *p.fx);
    p.last_delivered.reset();
    return;
  }
  m_phone_store.never_torn.check_with(accepted == expected, [&] {
    return "phone " + std::to_string(p.index) +
           " restarted from a store copy that is not its last complete write";
  });
  if (clean_crash) {
    m_phone_store.restores_state.check_with(same_state(old->state(), loaded->state()), [&] {
      return "phone " + std::to_string(p.index) +
             " restarted with a state other than the one it held when it crashed between two "
             "calls (a change was never written)";
    });
  }
  if (p.last_delivered && p.last_delivered->body.size() <= phone_config().history_max_bytes) {
    m_phone_store.history_keeps_delivered.check_with(
        in_history(loaded->state(), *p.last_delivered), [&] {
          return "phone " + std::to_string(p.index) + " lost the text from " +
                 p.last_delivered->from + " sent at " + std::to_string(p.last_delivered->sent_ms) +
                 " ms from its history: it was shown to the user before it was stored";
        });
  }
  p.last_delivered.reset();
  p.phone = std::move(loaded);
  // The copy it runs from is the newest now: the next write goes over the other one.
  d.newest = loaded_slot;
  d.complete = loaded_slot;
  p.up = true;
  record("phone_restart", p.index, "");
}

// The user types PINs until the store opens, locks (three wrong in a row, STO-004), or turns
// out to be unreadable (the copy is refused). Every PIN typed is drawn from the lifecycle
// stream: wrong with pin_mistype_ppm, always wrong when the user forgot it.
Status World::Impl::type_pin(PhoneNode& p, phone::Phone& phone) {
  const std::uint32_t mistype = m_scenario.lifecycle.pin_mistype_ppm;
  for (;;) {
    const bool wrong = p.forgot_pin || (mistype != 0 && m_lifecycle_rng.bernoulli_ppm(mistype));
    Status st = phone.unlock(wrong ? "wrong-" + p.pin : p.pin, *p.fx);
    if (st.ok() || st.code() != ErrorCode::kWrongPin) {
      return st;
    }
    record("pin_wrong", p.index, "");
  }
}

void World::Impl::schedule_pin_lockout() {
  every_hour(m_scenario.lifecycle.pin_lockouts_per_hour, &World::Impl::pin_lockout_one);
}

// A ready phone restarts (switched off and on) and its user has forgotten the PIN.
void World::Impl::pin_lockout_one() {
  PhoneNode* drawn = draw_lifecycle_phone();
  if (drawn == nullptr) {
    return;
  }
  PhoneNode& p = *drawn;
  record("pin_lockout", p.index, "");
  p.phone->crash();
  set_phone_online(p, false);
  p.up = false;
  p.forgot_pin = true;
  restart_phone(p);
  set_phone_online(p, true);
}

}  // namespace spmc::sim
