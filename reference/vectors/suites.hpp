#pragma once
// Declarations of every vector suite; each is defined in <name>_vectors.cpp.
#include <optional>
#include <string>

#include "vectors.hpp"

namespace spmc::vectors {

Json generate_codec_vectors();
std::optional<std::string> check_codec_vectors(const Json& file);
Json generate_ratchet_vectors();
std::optional<std::string> check_ratchet_vectors(const Json& file);
Json generate_envelope_vectors();
std::optional<std::string> check_envelope_vectors(const Json& file);

Json generate_certificate_vectors();
std::optional<std::string> check_certificate_vectors(const Json& file);

Json generate_key_share_vectors();
std::optional<std::string> check_key_share_vectors(const Json& file);

Json generate_group_vectors();
std::optional<std::string> check_group_vectors(const Json& file);
Json generate_u2u_vectors();
std::optional<std::string> check_u2u_vectors(const Json& file);
Json generate_storage_vectors();
std::optional<std::string> check_storage_vectors(const Json& file);

}  // namespace spmc::vectors
