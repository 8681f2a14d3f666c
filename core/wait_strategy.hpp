// How an idle stage thread waits: spin (burn the core, lowest latency), yield (sched_yield between polls),
// block (spin a little, then park until a producer wakes it or a timeout passes). Configured per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace polybot {

enum class WaitKind : std::uint8_t { kSpin = 0, kYield = 1, kBlock = 2 };

struct WaitStrategy {
  WaitKind kind = WaitKind::kBlock;
  std::uint32_t spin_iterations = 2000;               // block: idle polls before parking
  std::chrono::microseconds park_timeout{1000};        // block: longest sleep (bounds timer and I/O latency)
};

std::optional<WaitKind> parse_wait_kind(std::string_view text) noexcept;
const char* to_string(WaitKind k) noexcept;

}  // namespace polybot
