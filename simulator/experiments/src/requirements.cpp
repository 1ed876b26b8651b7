#include "spmc/sim/requirements.hpp"

#include <algorithm>

namespace spmc::sim {

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kHolds:
      return "holds";
    case Verdict::kPartly:
      return "partly";
    case Verdict::kFails:
      return "fails";
  }
  return "?";
}

const Prediction* PredictedCheck::prediction_for(std::string_view profile) const {
  const auto it = predictions.find(profile);
  return it == predictions.end() ? nullptr : &it->second;
}

namespace {

// A row as spec/requirements.md writes it: its last column is "<paper> / <hardened>", a `*`
// marking a verdict a run may not show. A profile added to the spec adds its column here.
struct SpecRow {
  std::string_view id;
  std::string_view adversary;
  Verdict paper;
  Verdict hardened;
  bool evaluated;
  bool paper_may_not_show = false;
  bool hardened_may_not_show = false;
};

std::vector<PredictedCheck> by_profile(std::initializer_list<SpecRow> rows) {
  std::vector<PredictedCheck> out;
  for (const SpecRow& r : rows) {
    out.push_back({r.id,
                   r.adversary,
                   r.evaluated,
                   {{"paper", {r.paper, r.paper_may_not_show}},
                    {"hardened", {r.hardened, r.hardened_may_not_show}}}});
  }
  return out;
}

}  // namespace

// spec/requirements.md, the last column of each check table
// (Requirements.PredictionsInCodeAreTheSpecTables keeps the two equal).
const std::vector<PredictedCheck>& predicted_checks() {
  constexpr Verdict H = Verdict::kHolds;
  constexpr Verdict P = Verdict::kPartly;
  constexpr Verdict F = Verdict::kFails;
  static const std::vector<PredictedCheck> kAll = by_profile({
      {"REQ-1.asked", "HBC", H, H, true},
      {"REQ-1.stored", "HBC", H, H, true},
      {"REQ-1.seen", "HBC", P, P, true},
      {"REQ-2.offline", "ANA", H, H, true},
      {"REQ-2.seamless", "—", H, H, true},
      {"REQ-2.confidential", "PNO, HBC", H, H, true},
      {"REQ-2.forge", "MAL", F, H, true},
      {"REQ-2.substitute", "MAL", F, F, true},
      {"REQ-2.replay", "MAL, ANA", H, H, true},
      {"REQ-2.withhold", "MAL", P, P, true},
      {"REQ-2.clock", "MAL", F, F, true},
      {"REQ-2.forward_secrecy", "DEV", F, F, true},
      {"REQ-3.no_prompts", "—", H, H, true},
      {"REQ-4.first_contact_offline", "ANA", H, H, true},
      {"REQ-4.liveness", "ANA", P, P, true, true, true},
      {"REQ-4.late_open", "ANA", H, H, true},
      {"REQ-5.honest", "PNO, HBC", H, H, true},
      {"REQ-5.wrong_secret", "—", H, H, true},
      {"REQ-5.replay", "MAL", F, H, true},
      {"REQ-5.late_substitution", "MAL", F, H, true},
      {"REQ-5.early_substitution", "MAL", F, F, true},
      {"REQ-5.brute_force", "MAL, DEV", F, F, true},
      {"REQ-5.group_origin", "MAL", F, F, true},
      {"REQ-6.deleted_on_ack", "HBC", H, H, true},
      {"REQ-6.quiescent_empty", "HBC", H, H, true},
      {"REQ-6.device_history", "—", H, H, true},
      {"REQ-7.at_rest", "LOST", H, H, true},
      {"REQ-7.online_guess", "LOST", H, H, true},
      {"REQ-7.copy_bypass", "LOST", F, F, true},
      {"REQ-7.offline_cost", "LOST", F, F, true},
      {"REQ-7.recovery", "—", H, H, true},
      {"REQ-8.hbc", "HBC", H, H, true},
      {"REQ-8.malicious", "MAL", F, F, true},
      {"REQ-8.removed_member", "MAL", F, P, true, false, true},
      {"REQ-8.metadata", "HBC", F, F, true},
  });
  return kAll;
}

namespace {
const PredictedCheck* find_check(std::string_view id) {
  const auto& all = predicted_checks();
  auto it =
      std::find_if(all.begin(), all.end(), [id](const PredictedCheck& c) { return c.id == id; });
  return it == all.end() ? nullptr : &*it;
}
}  // namespace

std::optional<Verdict> predicted_verdict(std::string_view id, std::string_view profile) {
  const PredictedCheck* c = find_check(id);
  const Prediction* p = c == nullptr ? nullptr : c->prediction_for(profile);
  if (p == nullptr) {
    return std::nullopt;
  }
  return p->verdict;
}

bool may_not_show(std::string_view id, std::string_view profile) {
  const PredictedCheck* c = find_check(id);
  const Prediction* p = c == nullptr ? nullptr : c->prediction_for(profile);
  return p != nullptr && p->may_not_show;
}

bool predicts_profile(std::string_view profile) {
  const auto& all = predicted_checks();
  return std::any_of(all.begin(), all.end(), [profile](const PredictedCheck& c) {
    return c.prediction_for(profile) != nullptr;
  });
}

std::string_view agreement(std::string_view id, std::string_view profile, Verdict observed) {
  if (!predicts_profile(profile)) {
    return "not predicted";
  }
  const auto predicted = predicted_verdict(id, profile);
  if (!predicted) {
    return "DISAGREES";  // a result for a check the spec does not list
  }
  if (observed == *predicted) {
    return "agrees";
  }
  return observed < *predicted && may_not_show(id, profile) ? "not exhibited" : "DISAGREES";
}

}  // namespace spmc::sim
