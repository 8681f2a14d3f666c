// Compile-fail test: a Channel of a non-trivially-copyable type must not compile (control without the define).
#include <string>

#include "core/channel.hpp"

#ifdef POLYBOT_EXPECT_FAIL
using Payload = std::string;
#else
using Payload = long;
#endif

int main() {
  polybot::Channel<Payload> ch(8);
  return static_cast<int>(ch.capacity()) - 8;
}
