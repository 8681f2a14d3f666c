// libFuzzer target: arbitrary bytes through the gamma parser and into the books. Built only with
// POLYBOT_BUILD_FUZZ=ON and clang.
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  polybot::feed::fuzz::fuzz_gamma(data, size);
  return 0;
}
