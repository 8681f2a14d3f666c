// libFuzzer target: arbitrary bytes through the ref_price parser and into the books. Built only with
// POLYBOT_BUILD_FUZZ=ON and clang.
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  polybot::feed::fuzz::fuzz_ref_price(data, size);
  return 0;
}
