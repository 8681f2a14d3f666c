// Timer: interval boundaries and deadlines as journaled inputs, so strategies never read a wall clock.
#pragma once

#include <cstdint>

#include "core/msg/header.hpp"

namespace polybot {

enum class TimerKind : std::uint8_t {
  kWindowOpen = 0,
  kWindowClose = 1,
  kTMinus = 2,     // `seconds_before_end` before the window's end
  kHeartbeat = 3,  // periodic tick for stages that act on time alone
};

struct Timer {
  static constexpr MsgType kType = MsgType::kTimer;
  MsgHeader hdr;                   // hdr.ts_exch: the scheduled time (ns since the epoch)
  MarketId market{};
  TimerKind kind = TimerKind::kHeartbeat;
  std::uint8_t pad0_[3]{};
  std::int64_t window_start_s = 0;
  std::int64_t window_end_s = 0;
  std::int32_t seconds_before_end = 0;
  std::uint32_t interval_s = 0;    // 300 or 900
  std::uint8_t pad_[32]{};
};
POLYBOT_MESSAGE(Timer);

}  // namespace polybot
