// libFuzzer target for the oms input parsers (clang, POLYBOT_BUILD_FUZZ=ON).
#include "tests/oms/fuzz/oms_input_fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  polybot::oms::fuzz::fuzz_one(data, size);
  return 0;
}
