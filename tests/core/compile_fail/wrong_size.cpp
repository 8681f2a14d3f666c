// Compile-fail test: a message whose size is not a multiple of 64 must not compile (control without the define).
#include <cstddef>
#include <cstdint>

#include "core/msg/header.hpp"

namespace polybot {
struct Odd {
  static constexpr MsgType kType = MsgType::kCommand;
  MsgHeader hdr;
#ifdef POLYBOT_EXPECT_FAIL
  std::uint8_t extra[8];  // 72 bytes
#else
  std::uint8_t extra[64];  // 128 bytes
#endif
};
POLYBOT_MESSAGE(Odd);
}  // namespace polybot

int main() { return 0; }
