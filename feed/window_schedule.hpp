// WindowSchedule: the clock side of BTC Up/Down roll-over, as pure functions of time. Windows are
// [start, start + interval) with start a multiple of the interval (300 s or 900 s) in UTC; the Gamma slug is
// "btc-updown-5m-<start>" / "btc-updown-15m-<start>". due() turns "time moved from t0 to t1" into the Timer
// messages (window open, T-minus deadlines, window close) and the subscribe/unsubscribe actions the feed must
// take, in time order. Pure and allocation-free apart from slug(); any thread.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "core/msg/timer.hpp"

namespace polybot::feed {

struct WindowScheduleConfig {
  std::uint32_t interval_s = 300;                 // 300 (5m) or 900 (15m)
  std::uint32_t subscribe_lead_s = 60;            // subscribe the next window's tokens this long before it opens
  std::uint32_t unsubscribe_lag_s = 30;           // keep the closed window's books this long after close
  std::array<std::int32_t, 4> t_minus_s{60, 10, 0, 0};  // T-minus deadlines (seconds before end; 0 = unused)
};

enum class RollAction : std::uint8_t { kSubscribe = 0, kUnsubscribe = 1 };

struct ScheduledEvent {
  std::int64_t at_s = 0;
  bool is_timer = true;
  TimerKind timer = TimerKind::kWindowOpen;  // when is_timer
  RollAction action = RollAction::kSubscribe;  // when !is_timer
  std::int64_t window_start_s = 0;
  std::int32_t seconds_before_end = 0;
};

class WindowSchedule {
 public:
  explicit WindowSchedule(WindowScheduleConfig config) : config_(config) {}

  [[nodiscard]] std::int64_t window_start(std::int64_t now_s) const noexcept {
    const std::int64_t i = config_.interval_s;
    return now_s >= 0 ? now_s / i * i : ((now_s - i + 1) / i) * i;
  }
  [[nodiscard]] std::int64_t window_end(std::int64_t start_s) const noexcept { return start_s + config_.interval_s; }
  // "btc-updown-5m-1773307200"
  [[nodiscard]] std::string slug(std::int64_t start_s, std::string_view asset = "btc") const;

  // Events with at_s in (from_s, to_s], in time order (ties: unsubscribe, close, open, T-minus, subscribe),
  // written to out; returns how many (at most out.size(); the rest are left for the next call by the caller
  // advancing from_s only to the last returned at_s).
  std::size_t due(std::int64_t from_s, std::int64_t to_s, std::span<ScheduledEvent> out) const noexcept;

  // The Timer message for a timer event.
  [[nodiscard]] Timer timer_of(const ScheduledEvent& e, MarketId market) const noexcept;

  [[nodiscard]] const WindowScheduleConfig& config() const noexcept { return config_; }

 private:
  WindowScheduleConfig config_;
};

}  // namespace polybot::feed
