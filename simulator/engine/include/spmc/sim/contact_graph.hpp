#pragma once
// Who knows whom: an undirected graph on phone indices, in canonical form (each edge
// (a, b) with a < b, sorted, no duplicates) so it never depends on generator internals
// beyond the draws themselves.
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "spmc/sim/random.hpp"

namespace spmc::sim {

enum class ContactGraphKind {
  kSmallWorld,    // Watts-Strogatz: boost::small_world_iterator
  kErdosRenyi,    // G(n, m): boost::erdos_renyi_iterator, m = n * degree / 2 distinct edges
  kPreferential,  // Barabasi-Albert preferential attachment, written here (see .cpp)
  kComplete,      // everyone knows everyone (small worlds only)
};

std::string_view contact_graph_kind_name(ContactGraphKind kind);

struct ContactGraphConfig {
  ContactGraphKind kind = ContactGraphKind::kSmallWorld;
  std::uint32_t degree = 4;  // mean degree (small world: neighbours on the ring, made even)
  std::uint32_t rewire_ppm = 100'000;  // small world: probability an edge is rewired
  friend bool operator==(const ContactGraphConfig&, const ContactGraphConfig&) = default;
};

using ContactEdge = std::pair<std::uint32_t, std::uint32_t>;

std::vector<ContactEdge> generate_contacts(std::uint32_t phones, const ContactGraphConfig& config,
                                           Prng& rng);

// Sorts, orients (a < b) and deduplicates; drops self-loops.
void canonicalize_contacts(std::vector<ContactEdge>& edges);

}  // namespace spmc::sim
