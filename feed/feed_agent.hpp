// FeedAgent: the feed stage's Agent. do_work() polls the feed IoLoop (sessions parse into the BookSet inside
// the poll), applies the silence rule to every tracked book while its window is open, publishes a BookTop for a
// market only when one of its two books changed (top, validity, or any update), and emits Timer messages
// (window open, T-minus, close) plus roll-over callbacks from one WindowSchedule per series (5m, 15m), merged in
// time order, all stamped with the injected clock. A tracked market is announced once as a MarketDef before its
// first BookTop; as the BookSet's downstream sink it also publishes the Binance ticks, klines, trades and
// reference prices the sessions parse. Runs on the feed thread only; no allocation in do_work() once markets are
// registered (track/untrack/add_schedule are roll-over calls and may allocate).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/agent.hpp"
#include "core/channel.hpp"
#include "core/clock.hpp"
#include "core/msg/envelope.hpp"
#include "core/net/io_loop.hpp"
#include "core/msg/market_def.hpp"
#include "core/stage.hpp"
#include "core/word256.hpp"
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
  std::uint32_t interval_s = 0;
  // The venue's names (from Gamma). All zero: no MarketDef is published (tests that track bare ids).
  Word256 up_token{};
  Word256 down_token{};
  Word256 condition_id{};
};

// The MarketDef announcing a tracked market (stamped by the agent when published).
MarketDef market_def_of(const TrackedMarket& m) noexcept;

struct FeedAgentConfig {
  std::int32_t depth_levels = 5;  // BookTop bid_depth/ask_depth: total size over the top N levels
  // What the agent publishes when it is the BookSet's downstream sink (BookSet::set_downstream).
  bool forward_btc_ticks = true;
  bool forward_klines = true;
  bool forward_trades = true;      // Polymarket last_trade_price and Binance trades
  bool forward_ref_prices = true;
  bool forward_market_status = true;
  bool forward_tick_size_changes = true;  // the oms re-prices on the new grid
};

class FeedAgent final : public Agent, public MarketSink {
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

  // Every published message is journaled as the feed stage's output (null: not journaled).
  void set_recorder(StageRecorder* recorder) noexcept { recorder_ = recorder; }

  // MarketSink (downstream of the BookSet): the non-book events, published as they are parsed.
  void on_trade(const Trade& m) noexcept override;
  void on_btc_tick(const BtcTick& m) noexcept override;
  void on_kline(const Kline& m) noexcept override;
  void on_ref_price(const RefPrice& m) noexcept override;
  void on_market_status(const MarketStatus& m, const MarketInfo& info) noexcept override;
  void on_tick_size_change(const TickSizeChange& m) noexcept override;

  [[nodiscard]] std::uint64_t published() const noexcept { return published_; }
  [[nodiscard]] std::uint64_t published(MsgType t) const noexcept {
    return by_type_[static_cast<std::size_t>(t) % by_type_.size()];
  }
  [[nodiscard]] std::uint64_t dropped() const noexcept { return dropped_; }  // channel full

  // The BookTop of one market as the books stand now (also used by tests).
  [[nodiscard]] BookTop top_of(const TrackedMarket& m, std::int64_t now_ns) const noexcept;

 private:
  bool publish(Envelope& e) noexcept;
  template <class T>
  void forward(const T& m) noexcept;
  int flush_defs(std::int64_t now_ns) noexcept;
  void fill(TokenTop& t, InstrumentId id) const noexcept;

  net::IoLoop* loop_;
  BookSet& books_;
  const Clock& clock_;
  Channel<Envelope>::Producer out_;
  FeedAgentConfig config_;
  std::vector<TrackedMarket> markets_;
  std::vector<MarketDef> pending_defs_;  // announced before the market's next BookTop, in track() order
  StageRecorder* recorder_ = nullptr;
  struct ScheduleSlot {
    const WindowSchedule* schedule = nullptr;
    RollHandler on_roll;
  };
  int run_schedules(std::int64_t now_ns, std::int64_t now_s) noexcept;

  std::vector<ScheduleSlot> schedules_;
  std::int64_t schedule_cursor_s_ = 0;
  std::uint64_t seq_ = 0;
  std::uint64_t published_ = 0;
  std::array<std::uint64_t, 64> by_type_{};
  std::uint64_t dropped_ = 0;
};

}  // namespace polybot::feed
