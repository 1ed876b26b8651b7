#pragma once
// The `adversaries` field of a scenario: read (plain names or aimed objects), written back
// (a plain name as a plain string) and checked against the vocabulary's names and aim rules.
// Errors are one line, "<source>: adversaries[i].<field>: <reason>".
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "spmc/result.hpp"
#include "spmc/sim/scenario.hpp"

namespace spmc::sim {

Status read_adversaries(const nlohmann::json& value, const std::string& source,
                        const std::string& path, std::vector<AdversarySpec>& out);
nlohmann::ordered_json write_adversaries(const std::vector<AdversarySpec>& list);
Status check_adversaries(const Scenario& scenario, const std::string& source,
                         const ScenarioVocabulary& vocabulary);

}  // namespace spmc::sim
