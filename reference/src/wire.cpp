// The out-of-line error details of wire.hpp's traits.
#include "spmc/wire.hpp"

namespace spmc::wire {

Error field_error(ErrorCode code, std::string_view what, std::string_view infix, std::uint64_t n) {
  std::string detail(what);
  detail += infix;
  detail += std::to_string(n);
  return make_error(code, std::move(detail));
}

Error field_error(ErrorCode code, std::string_view detail) {
  return make_error(code, std::string(detail));
}

}  // namespace spmc::wire
