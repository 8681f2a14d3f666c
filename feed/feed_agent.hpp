// FeedAgent: the feed stage's Agent. do_work() polls the feed IoLoop (sessions parse into the BookSet inside
// the poll), applies the silence rule to every tracked book while its window is open, publishes a BookTop for a
// market only when one of its two books changed (top, validity, or any update), and emits Timer messages
// (window open, T-minus, close) plus roll-over callbacks from one WindowSchedule per series (5m, 15m), merged in
// time order, all stamped with the injected clock. Runs on the feed thread only; no allocation in do_work() once
// markets are registered (track/untrack/add_schedule are roll-over calls and may allocate).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/agent.hpp"
#include "core/channel.hpp"
#include "core/clock.hpp"
#include "core/msg/envelope.hpp"
#include "core/net/io_loop.hpp"
#include "feed/book_set.hpp"
#include "feed/window_schedule.hpp"

namespace polybot::feed {

struct TrackedMarket {
  MarketId market{};
  InstrumentId up{};
  InstrumentId down{};
  std::int64_t window_start_s = 0;
  std::int64_t window_end_s = 0;
  std::uint32_t fee_rate_bps = 0;
  Qty min_order_size;
  Price tick;             // the venue's tick at discovery (Gamma orderPriceMinTickSize); books track changes
  bool neg_risk = false;  // sign against the neg-risk exchange (not carried by BookTop)
};

struct FeedAgentConfig {
  std::int32_t depth_levels = 5;  // BookTop bid_depth/ask_depth: total size over the top N levels
};

class FeedAgent final : public Agent {
 public:
  using RollHandler = std::function<void(const ScheduledEvent&)>;

  FeedAgent(net::IoLoop* loop, BookSet& books, const Clock& clock, Channel<Envelope>::Producer out,
            FeedAgentConfig config = {});

  // Off the hot path (roll-over): start/stop publishing a market.
  void track(const TrackedMarket& m);
  void untrack(MarketId market);
  // Timer messages and roll-over actions come from this schedule (optional); replaces every schedule.
  void set_schedule(const WindowSchedule* schedule, RollHandler on_roll);
  // One more schedule (another series, e.g. 15m beside 5m); events of all schedules are merged in time order.
  // At most kMaxSchedules; false when full. The schedule must outlive the agent or be removed first.
  bool add_schedule(const WindowSchedule* schedule, RollHandler on_roll = {});
  void remove_schedule(const WindowSchedule* schedule);
  [[nodiscard]] const std::vector<TrackedMarket>& markets() const noexcept { return markets_; }
  static constexpr std::size_t kMaxSchedules = 4;

  [[nodiscard]] const char* name() const noexcept override { return "feed"; }
  void on_start() noexcept override;
  int do_work() noexcept override;

  [[nodiscard]] std::uint64_t published() const noexcept { return published_; }
  [[nodiscard]] std::uint64_t dropped() const noexcept { return dropped_; }  // channel full

  // The BookTop of one market as the books stand now (also used by tests).
  [[nodiscard]] BookTop top_of(const TrackedMarket& m, std::int64_t now_ns) const noexcept;

 private:
  bool publish(Envelope& e) noexcept;
  void fill(TokenTop& t, InstrumentId id) const noexcept;

  net::IoLoop* loop_;
  BookSet& books_;
  const Clock& clock_;
  Channel<Envelope>::Producer out_;
  FeedAgentConfig config_;
  std::vector<TrackedMarket> markets_;
  struct ScheduleSlot {
    const WindowSchedule* schedule = nullptr;
    RollHandler on_roll;
  };
  int run_schedules(std::int64_t now_ns, std::int64_t now_s) noexcept;

  std::vector<ScheduleSlot> schedules_;
  std::int64_t schedule_cursor_s_ = 0;
  std::uint64_t seq_ = 0;
  std::uint64_t published_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace polybot::feed
