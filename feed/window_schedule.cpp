#include "feed/window_schedule.hpp"

#include <algorithm>

namespace polybot::feed {

std::string WindowSchedule::slug(std::int64_t start_s, std::string_view asset) const {
  std::string s(asset);
  s += "-updown-";
  s += config_.interval_s == 900 ? "15m-" : (config_.interval_s == 300 ? "5m-" : std::to_string(config_.interval_s / 60) + "m-");
  s += std::to_string(start_s);
  return s;
}

namespace {
int rank(const ScheduledEvent& e) noexcept {
  if (!e.is_timer) return e.action == RollAction::kUnsubscribe ? 0 : 4;
  switch (e.timer) {
    case TimerKind::kWindowClose: return 1;
    case TimerKind::kWindowOpen: return 2;
    default: return 3;
  }
}
}  // namespace

std::size_t WindowSchedule::due(std::int64_t from_s, std::int64_t to_s, std::span<ScheduledEvent> out) const noexcept {
  if (to_s <= from_s || out.empty()) return 0;
  const std::int64_t i = config_.interval_s;
  // Every window whose events can fall in (from, to]: from the one subscribed `lead` ahead to the one closed
  // `lag` ago.
  const std::int64_t first = window_start(from_s - static_cast<std::int64_t>(config_.unsubscribe_lag_s) - i);
  const std::int64_t last = window_start(to_s + static_cast<std::int64_t>(config_.subscribe_lead_s));
  // Collect into a small fixed buffer, sort, then copy the earliest out.size().
  std::array<ScheduledEvent, 256> buf;
  std::size_t n = 0;
  const auto add = [&](ScheduledEvent e) {
    if (e.at_s > from_s && e.at_s <= to_s && n < buf.size()) buf[n++] = e;
  };
  for (std::int64_t w = first; w <= last; w += i) {
    const std::int64_t end = w + i;
    add({w - static_cast<std::int64_t>(config_.subscribe_lead_s), false, TimerKind::kWindowOpen,
         RollAction::kSubscribe, w, 0});
    add({w, true, TimerKind::kWindowOpen, RollAction::kSubscribe, w, 0});
    for (std::int32_t t : config_.t_minus_s) {
      if (t > 0 && t < i) add({end - t, true, TimerKind::kTMinus, RollAction::kSubscribe, w, t});
    }
    add({end, true, TimerKind::kWindowClose, RollAction::kSubscribe, w, 0});
    add({end + static_cast<std::int64_t>(config_.unsubscribe_lag_s), false, TimerKind::kWindowClose,
         RollAction::kUnsubscribe, w, 0});
  }
  std::sort(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n), [](const ScheduledEvent& a, const ScheduledEvent& b) {
    if (a.at_s != b.at_s) return a.at_s < b.at_s;
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    return a.seconds_before_end > b.seconds_before_end;
  });
  const std::size_t k = std::min(n, out.size());
  std::copy(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(k), out.begin());
  return k;
}

Timer WindowSchedule::timer_of(const ScheduledEvent& e, MarketId market) const noexcept {
  Timer t;
  t.hdr.type = MsgType::kTimer;
  t.hdr.producer = Stage::kFeed;
  t.hdr.ts_exch = e.at_s * 1'000'000'000LL;
  t.market = market;
  t.kind = e.timer;
  t.window_start_s = e.window_start_s;
  t.window_end_s = e.window_start_s + config_.interval_s;
  t.seconds_before_end = e.seconds_before_end;
  t.interval_s = config_.interval_s;
  return t;
}

}  // namespace polybot::feed
