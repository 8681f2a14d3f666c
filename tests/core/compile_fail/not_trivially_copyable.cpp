// Compile-fail test: a message that is not trivially copyable must not compile. Built twice: without
// POLYBOT_EXPECT_FAIL it must compile (the control), with it the static_assert must fire.
#include <cstddef>
#include <string>

#include "core/msg/header.hpp"

namespace polybot {
struct Bad {
  static constexpr MsgType kType = MsgType::kCommand;
  MsgHeader hdr;
#ifdef POLYBOT_EXPECT_FAIL
  std::string note;  // owns heap memory: cannot be memcpy'd through a queue or a journal
#else
  char note[64];
#endif
};
POLYBOT_MESSAGE(Bad);
}  // namespace polybot

int main() { return 0; }
