#include "feed/window_schedule.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace polybot::feed {
namespace {

std::vector<ScheduledEvent> due(const WindowSchedule& s, std::int64_t from, std::int64_t to) {
  std::vector<ScheduledEvent> out(256);
  out.resize(s.due(from, to, out));
  return out;
}

TEST(WindowSchedule, ComputesWindowsAndSlugs) {
  WindowSchedule five({300, 60, 30, {60, 10, 0, 0}});
  EXPECT_EQ(five.window_start(1773307200 + 299), 1773307200);
  EXPECT_EQ(five.window_start(1773307200 + 300), 1773307500);
  EXPECT_EQ(five.slug(1773307200), "btc-updown-5m-1773307200");
  WindowSchedule fifteen({900, 60, 30, {}});
  EXPECT_EQ(fifteen.slug(fifteen.window_start(1773307200 + 100)), "btc-updown-15m-1773306900");
  EXPECT_EQ(fifteen.window_end(1773306900), 1773307800);
}

TEST(WindowSchedule, EmitsOneWindowsLifecycleInOrder) {
  WindowSchedule s({300, 60, 30, {60, 10, 0, 0}});
  const std::int64_t w = 1773307200;
  // From just before the subscribe lead to after the unsubscribe lag of window w.
  const auto ev = due(s, w - 61, w + 300 + 30);
  std::vector<std::int64_t> times;
  for (const auto& e : ev) times.push_back(e.at_s);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  // Window w: subscribe at w-60, open at w, T-60, T-10, close at w+300, unsubscribe at w+330; the next window
  // (w+300) is subscribed at w+240 and opens at w+300; the previous one unsubscribes at w+30.
  auto find = [&](std::int64_t at, bool timer, TimerKind k, RollAction a, std::int64_t win) {
    for (const auto& e : ev) {
      if (e.at_s == at && e.is_timer == timer && e.window_start_s == win && (timer ? e.timer == k : e.action == a)) {
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(find(w - 60, false, TimerKind::kWindowOpen, RollAction::kSubscribe, w));
  EXPECT_TRUE(find(w, true, TimerKind::kWindowOpen, RollAction::kSubscribe, w));
  EXPECT_TRUE(find(w + 240, true, TimerKind::kTMinus, RollAction::kSubscribe, w));
  EXPECT_TRUE(find(w + 290, true, TimerKind::kTMinus, RollAction::kSubscribe, w));
  EXPECT_TRUE(find(w + 300, true, TimerKind::kWindowClose, RollAction::kSubscribe, w));
  EXPECT_TRUE(find(w + 330, false, TimerKind::kWindowOpen, RollAction::kUnsubscribe, w));
  EXPECT_TRUE(find(w + 240, false, TimerKind::kWindowOpen, RollAction::kSubscribe, w + 300));
  EXPECT_TRUE(find(w + 30, false, TimerKind::kWindowOpen, RollAction::kUnsubscribe, w - 300));
  // At the boundary the old window closes before the new one opens.
  std::size_t close_idx = 0, open_idx = 0;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (ev[i].at_s == w + 300 && ev[i].is_timer && ev[i].timer == TimerKind::kWindowClose) close_idx = i;
    if (ev[i].at_s == w + 300 && ev[i].is_timer && ev[i].timer == TimerKind::kWindowOpen) open_idx = i;
  }
  EXPECT_LT(close_idx, open_idx);
}

TEST(WindowSchedule, SplitsIntervalsWithoutLosingOrRepeatingEvents) {
  WindowSchedule s({300, 60, 30, {60, 10, 0, 0}});
  const std::int64_t t0 = 1773307200 - 7;
  const auto whole = due(s, t0, t0 + 3600);
  std::size_t pieces = 0;
  for (std::int64_t t = t0; t < t0 + 3600; t += 7) pieces += due(s, t, std::min(t + 7, t0 + 3600)).size();
  EXPECT_EQ(pieces, whole.size());
  EXPECT_EQ(whole.size(), 12u * 6u);  // 12 windows x (subscribe, open, 2 T-minus, close, unsubscribe)
  const Timer t = s.timer_of(whole[1], MarketId{3});
  EXPECT_EQ(t.hdr.type, MsgType::kTimer);
  EXPECT_EQ(t.interval_s, 300u);
  EXPECT_EQ(t.market.value, 3u);
}

}  // namespace
}  // namespace polybot::feed
