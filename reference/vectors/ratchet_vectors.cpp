// Vectors for the Fig. 5 ratchet (RAT-001..RAT-008): for each suite, the master key, the
// four seed numbers, the message keys of counters 0..9 and 37, and the slots after 37;
// negative cases name the receiver's error after a sequence of received counters.
#include <algorithm>
#include <variant>

#include "spmc/ratchet.hpp"
#include "spmc/rng.hpp"
#include "suites.hpp"

namespace spmc::vectors {

namespace {

constexpr std::uint32_t kCounters[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 37};

struct Inputs {
  Suite suite;
  Bytes master_key;
  ratchet::SeedFile seed;
};

Json inputs_json(const Inputs& in) {
  Json j;
  j["suite"] = static_cast<int>(in.suite);
  j["master_key"] = hex(in.master_key);
  for (std::size_t i = 0; i < 4; ++i) {
    j["n" + std::to_string(i)] = hex(in.seed.n[i]);
  }
  return j;
}

// Returns the inputs, or the name of the first missing or malformed field.
std::variant<Inputs, std::string> read_inputs(const Json& c) {
  const auto wire = field_uint(c, "suite", 0xffff);
  if (!wire) {
    return std::string("suite");
  }
  const auto suite = suite_from_wire(static_cast<std::uint16_t>(*wire));
  if (!suite.ok()) {
    return std::string("suite");
  }
  const auto key = field_hex(c, "master_key");
  if (!key || key->size() != master_key_size(*suite)) {
    return std::string("master_key");
  }
  Inputs in{*suite, *key, {}};
  for (std::size_t i = 0; i < 4; ++i) {
    const std::string name = "n" + std::to_string(i);
    const auto n = field_hex(c, name);
    if (!n || n->size() != 16) {
      return name;
    }
    std::copy(n->begin(), n->end(), in.seed.n[i].begin());
  }
  return in;
}

// The sender's keys for kCounters and its slots after the last one.
Json expected_outputs(const Inputs& in) {
  ratchet::SendChain s(in.suite, in.master_key, in.seed);
  Json keys = Json::array();
  for (std::uint32_t c = 0; c <= kCounters[std::size(kCounters) - 1]; ++c) {
    const auto mk = s.next();
    if (std::find(std::begin(kCounters), std::end(kCounters), c) != std::end(kCounters)) {
      keys.push_back(Json{{"counter", c}, {"mk", hex(mk->key)}});
    }
  }
  Json out;
  out["keys"] = keys;
  for (std::size_t i = 0; i < 4; ++i) {
    out["slot" + std::to_string(i) + "_after"] = hex(s.slots()[i]);
  }
  return out;
}

Json positive_case(Suite suite) {
  DeterministicRng rng(0x5241540000000000ULL + static_cast<std::uint16_t>(suite),
                       "vectors ratchet");
  Inputs in{suite, rng.bytes(master_key_size(suite)), {}};
  for (Block& b : in.seed.n) {
    b = rng.block();
  }
  Json c = inputs_json(in);
  c.update(expected_outputs(in));
  return c;
}

Json negative_case(const std::vector<std::uint32_t>& received, std::uint32_t counter,
                   const char* error) {
  DeterministicRng rng(0x5241540000000001ULL, "vectors ratchet negative");
  Inputs in{Suite::kAes128, rng.bytes(16), {}};
  for (Block& b : in.seed.n) {
    b = rng.block();
  }
  Json c = inputs_json(in);
  c["received"] = received;
  c["counter"] = counter;
  c["expected_error"] = error;
  return c;
}

std::optional<std::string> check_negative(const Json& c, const std::string& where,
                                          const Inputs& in) {
  const Json* received = field_array(c, "received");
  const auto counter = field_uint(c, "counter", 0xffffffffU);
  if (received == nullptr) {
    return bad_field(where, "received");
  }
  if (!counter) {
    return bad_field(where, "counter");
  }
  ratchet::ReceiveChain r(in.suite, in.master_key, in.seed, Limits{});
  for (const Json& v : *received) {
    const auto received_counter = parse_uint(v, 0xffffffffU);
    if (!received_counter) {
      return bad_field(where, "received");
    }
    if (!r.accept(static_cast<std::uint32_t>(*received_counter)).ok()) {
      return where + ": a received counter was rejected";
    }
  }
  const auto got = r.accept(static_cast<std::uint32_t>(*counter));
  return expect_error(c, where, got.ok() ? nullptr : &got.error());
}

// Recomputes from the inputs with both chains: the sender in order, the receiver taking
// the listed counters (so 37 is derived across a gap of skipped keys).
std::optional<std::string> check_positive(const Json& c, const std::string& where,
                                          const Inputs& in) {
  const Json expected = expected_outputs(in);
  for (const auto& [key, value] : expected.items()) {
    if (!field_equals(c, key, value)) {
      return where + ": sender output " + key + " differs";
    }
  }
  ratchet::ReceiveChain r(in.suite, in.master_key, in.seed, Limits{});
  for (const Json& k : expected.at("keys")) {  // from expected_outputs: well formed
    const auto mk = r.accept(k.at("counter").get<std::uint32_t>());
    if (!mk.ok() || hex(mk->key) != k.at("mk").get<std::string>()) {
      return where + ": receiver key differs";
    }
  }
  for (std::size_t i = 0; i < 4; ++i) {
    if (hex(r.slots()[i]) != expected.at("slot" + std::to_string(i) + "_after")) {
      return where + ": receiver slots differ";
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_case(const Json& c, const std::string& where) {
  const auto in = read_inputs(c);
  if (const auto* bad = std::get_if<std::string>(&in)) {
    return bad_field(where, *bad);
  }
  const Inputs& inputs = std::get<Inputs>(in);
  return c.contains("expected_error") ? check_negative(c, where, inputs)
                                      : check_positive(c, where, inputs);
}

}  // namespace

Json generate_ratchet_vectors() {
  Json file = file_header("ratchet", "spec/contract.md#ratchet-rat--fig-5");
  Json cases = Json::array();
  cases.push_back(positive_case(Suite::kAes128));
  cases.push_back(positive_case(Suite::kAes256));
  cases.push_back(negative_case({5, 2}, 2, "replay"));
  // next = 4 after counter 3; 2004 - 4 = max_forward (RAT-007).
  cases.push_back(negative_case({3}, 2004, "counter_too_far_ahead"));
  // 1999 then 3998 leave 3997 skipped keys; the lowest 1997 are evicted (RAT-008).
  cases.push_back(negative_case({1999, 3998}, 0, "counter_too_old"));
  file["cases"] = cases;
  return file;
}

std::optional<std::string> check_ratchet_vectors(const Json& file) {
  return check_cases(file, check_case);
}

}  // namespace spmc::vectors
