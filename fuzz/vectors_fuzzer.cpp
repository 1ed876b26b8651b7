// Every vector suite's check() (reference/vectors) on fuzzer-made JSON: the first byte
// picks the suite, the rest is the file text. A hand-edited or hostile vector file must
// give a mismatch message, never a crash.
#include <string_view>

#include "fuzz_support.hpp"
#include "vectors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spmc;
  if (size < 1) {
    return 0;
  }
  const auto suites = vectors::all_suites();
  const vectors::VectorSuite& suite = suites[data[0] % suites.size()];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const vectors::Json file = vectors::Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (file.is_discarded()) {
    return 0;
  }
  (void)suite.check(file);
  return 0;
}
