#include "feed/feed_agent.hpp"

#include <algorithm>
#include <array>

namespace polybot::feed {

MarketDef market_def_of(const TrackedMarket& m) noexcept {
  MarketDef d;
  d.hdr.type = MsgType::kMarketDef;
  d.hdr.producer = Stage::kFeed;
  d.hdr.instrument = m.up;
  d.market = m.market;
  d.up = m.up;
  d.down = m.down;
  d.fee_rate_bps = m.fee_rate_bps;
  d.window_start_s = m.window_start_s;
  d.window_end_s = m.window_end_s;
  d.tick = m.tick;
  d.min_order_size = m.min_order_size;
  d.interval_s = m.interval_s != 0 ? m.interval_s : static_cast<std::uint32_t>(m.window_end_s - m.window_start_s);
  d.neg_risk = m.neg_risk ? 1 : 0;
  d.up_token = m.up_token;
  d.down_token = m.down_token;
  d.condition_id = m.condition_id;
  return d;
}

FeedAgent::FeedAgent(net::IoLoop* loop, BookSet& books, const Clock& clock, Channel<Envelope>::Producer out,
                     FeedAgentConfig config)
    : loop_(loop), books_(books), clock_(clock), out_(out), config_(config) {
  markets_.reserve(64);
  pending_defs_.reserve(16);
  schedules_.reserve(kMaxSchedules);
}

void FeedAgent::track(const TrackedMarket& m) {
  untrack(m.market);
  markets_.push_back(m);
  books_.prepare_book(m.up);
  books_.prepare_book(m.down);
  const Word256 zero{};
  if (m.up_token != zero && m.down_token != zero) pending_defs_.push_back(market_def_of(m));
}

int FeedAgent::flush_defs(std::int64_t now_ns) noexcept {
  // A definition is never dropped: one that does not fit stays queued (and its market's BookTops wait with it).
  std::size_t sent = 0;
  for (; sent < pending_defs_.size(); ++sent) {
    Envelope e = Envelope::of(pending_defs_[sent]);
    e.hdr.ts_recv = now_ns;
    e.hdr.ts_origin = now_ns;
    e.hdr.ts_produced = now_ns;
    if (!publish(e)) break;
  }
  pending_defs_.erase(pending_defs_.begin(), pending_defs_.begin() + static_cast<std::ptrdiff_t>(sent));
  return static_cast<int>(sent);
}

template <class T>
void FeedAgent::forward(const T& m) noexcept {
  Envelope e = Envelope::of(m);
  e.hdr.producer = Stage::kFeed;
  if (e.hdr.ts_origin == 0) e.hdr.ts_origin = e.hdr.ts_recv;
  e.hdr.ts_produced = clock_.now_ns();
  publish(e);
}

void FeedAgent::on_trade(const Trade& m) noexcept {
  if (config_.forward_trades) forward(m);
}
void FeedAgent::on_btc_tick(const BtcTick& m) noexcept {
  if (config_.forward_btc_ticks) forward(m);
}
void FeedAgent::on_kline(const Kline& m) noexcept {
  if (config_.forward_klines) forward(m);
}
void FeedAgent::on_ref_price(const RefPrice& m) noexcept {
  if (config_.forward_ref_prices) forward(m);
}
void FeedAgent::on_tick_size_change(const TickSizeChange& m) noexcept {
  if (config_.forward_tick_size_changes) forward(m);
}
void FeedAgent::on_market_status(const MarketStatus& m, const MarketInfo& /*info*/) noexcept {
  if (config_.forward_market_status) forward(m);
}

void FeedAgent::untrack(MarketId market) {
  markets_.erase(std::remove_if(markets_.begin(), markets_.end(),
                                [&](const TrackedMarket& t) { return t.market == market; }),
                 markets_.end());
}

void FeedAgent::set_schedule(const WindowSchedule* schedule, RollHandler on_roll) {
  schedules_.clear();
  if (schedule != nullptr) schedules_.push_back(ScheduleSlot{schedule, std::move(on_roll)});
}

bool FeedAgent::add_schedule(const WindowSchedule* schedule, RollHandler on_roll) {
  if (schedule == nullptr || schedules_.size() >= kMaxSchedules) return false;
  schedules_.push_back(ScheduleSlot{schedule, std::move(on_roll)});
  return true;
}

void FeedAgent::remove_schedule(const WindowSchedule* schedule) {
  schedules_.erase(std::remove_if(schedules_.begin(), schedules_.end(),
                                  [&](const ScheduleSlot& s) { return s.schedule == schedule; }),
                   schedules_.end());
}

void FeedAgent::on_start() noexcept { schedule_cursor_s_ = clock_.now_ns() / 1'000'000'000; }

void FeedAgent::fill(TokenTop& t, InstrumentId id) const noexcept {
  t.token = id;
  const book::Book* b = books_.book(id);
  if (b == nullptr) return;
  t.valid = b->valid() ? 1 : 0;
  t.bid = b->best_bid();
  t.bid_size = b->best_bid_size();
  t.ask = b->best_ask();
  t.ask_size = b->best_ask_size();
  t.bid_depth = b->depth_top(BookSide::kBid, config_.depth_levels);
  t.ask_depth = b->depth_top(BookSide::kAsk, config_.depth_levels);
  t.tick = b->tick();
}

BookTop FeedAgent::top_of(const TrackedMarket& m, std::int64_t now_ns) const noexcept {
  BookTop top;
  top.hdr.type = MsgType::kBookTop;
  top.hdr.producer = Stage::kFeed;
  top.hdr.instrument = m.up;
  top.hdr.ts_produced = now_ns;
  const book::Book* up = books_.book(m.up);
  const book::Book* down = books_.book(m.down);
  std::int64_t recv = 0;
  if (up != nullptr) recv = std::max(recv, up->last_recv_ns());
  if (down != nullptr) recv = std::max(recv, down->last_recv_ns());
  top.hdr.ts_recv = recv;
  top.hdr.ts_origin = recv;
  fill(top.up, m.up);
  fill(top.down, m.down);
  if (top.up.valid == 0 || top.down.valid == 0) top.hdr.flags |= msg_flag::kInvalid;
  top.market = m.market;
  top.fee_rate_bps = m.fee_rate_bps;
  top.min_order_size = m.min_order_size;
  top.window_start_s = m.window_start_s;
  top.window_end_s = m.window_end_s;
  return top;
}

bool FeedAgent::publish(Envelope& e) noexcept {
  e.hdr.seq = seq_ + 1;
  if (!out_.try_push(e)) {
    ++dropped_;  // counted; the channel's own counter feeds the halt logic downstream
    return false;
  }
  ++seq_;  // gap-free: a message the channel refused does not take a number
  ++published_;
  ++by_type_[static_cast<std::size_t>(e.hdr.type) % by_type_.size()];
  if (recorder_ != nullptr) recorder_->on_produced(Stage::kFeed, e);
  return true;
}

int FeedAgent::do_work() noexcept {
  int work = 0;
  if (loop_ != nullptr) work += static_cast<int>(loop_->poll());
  const std::int64_t now_ns = clock_.now_ns();
  const std::int64_t now_s = now_ns / 1'000'000'000;
  if (!pending_defs_.empty()) {
    work += flush_defs(now_ns);
    if (!pending_defs_.empty()) return work;  // downstream full: BookTops must not overtake their definition
  }
  for (const TrackedMarket& m : markets_) {
    const bool open = now_s >= m.window_start_s && now_s < m.window_end_s;
    for (InstrumentId id : {m.up, m.down}) {
      book::Book* b = books_.book(id);
      if (b != nullptr && b->valid() && !b->check_stale(now_ns, open)) books_.mark_changed(id);
    }
    const bool changed_up = books_.take_changed(m.up);
    const bool changed_down = books_.take_changed(m.down);
    if (!changed_up && !changed_down) continue;
    Envelope e = Envelope::of(top_of(m, now_ns));
    publish(e);
    ++work;
  }
  if (schedule_cursor_s_ == 0) schedule_cursor_s_ = now_s;  // polled without on_start(): start from now
  if (!schedules_.empty() && now_s > schedule_cursor_s_) work += run_schedules(now_ns, now_s);
  return work;
}

namespace {
// Same-second order across schedules, as WindowSchedule orders one: unsubscribe, close, open, T-minus, subscribe.
int rank(const ScheduledEvent& e) noexcept {
  if (!e.is_timer) return e.action == RollAction::kUnsubscribe ? 0 : 4;
  switch (e.timer) {
    case TimerKind::kWindowClose: return 1;
    case TimerKind::kWindowOpen: return 2;
    default: return 3;
  }
}
struct DueEvent {
  ScheduledEvent ev;
  std::uint32_t slot;
};
}  // namespace

int FeedAgent::run_schedules(std::int64_t now_ns, std::int64_t now_s) noexcept {
  constexpr std::size_t kPerSchedule = 32;
  std::array<ScheduledEvent, kPerSchedule> buf{};
  // A full buffer means more events remain in (cursor, now]: stop before the last second handed out (it may be
  // split) and continue from there on the next call, for every schedule alike so the merge stays in order.
  std::int64_t to_s = now_s;
  for (const ScheduleSlot& s : schedules_) {
    const std::size_t n = s.schedule->due(schedule_cursor_s_, to_s, buf);
    if (n == buf.size()) to_s = std::max(schedule_cursor_s_ + 1, buf[n - 1].at_s - 1);
  }
  std::array<DueEvent, kPerSchedule * kMaxSchedules> all{};
  std::size_t total = 0;
  for (std::uint32_t k = 0; k < schedules_.size(); ++k) {
    const std::size_t n = schedules_[k].schedule->due(schedule_cursor_s_, to_s, buf);
    for (std::size_t i = 0; i < n && total < all.size(); ++i) all[total++] = DueEvent{buf[i], k};
  }
  // Stable insertion sort: a handful of events, and std::stable_sort may allocate a buffer.
  const auto before = [](const DueEvent& a, const DueEvent& b) {
    if (a.ev.at_s != b.ev.at_s) return a.ev.at_s < b.ev.at_s;
    return rank(a.ev) < rank(b.ev);
  };
  for (std::size_t i = 1; i < total; ++i) {
    const DueEvent x = all[i];
    std::size_t j = i;
    for (; j > 0 && before(x, all[j - 1]); --j) all[j] = all[j - 1];
    all[j] = x;
  }
  int work = 0;
  for (std::size_t i = 0; i < total; ++i) {
    const ScheduledEvent& ev = all[i].ev;
    const ScheduleSlot& slot = schedules_[all[i].slot];
    const std::int64_t interval = slot.schedule->config().interval_s;
    if (ev.is_timer) {
      MarketId market{};
      for (const TrackedMarket& m : markets_) {
        // 5m and 15m windows can open at the same second: the interval tells them apart.
        if (m.window_start_s == ev.window_start_s && m.window_end_s - m.window_start_s == interval) {
          market = m.market;
        }
      }
      Timer t = slot.schedule->timer_of(ev, market);
      t.hdr.ts_recv = now_ns;
      t.hdr.ts_origin = now_ns;
      t.hdr.ts_produced = now_ns;
      Envelope e = Envelope::of(t);
      publish(e);
    } else if (slot.on_roll) {
      slot.on_roll(ev);
    }
    ++work;
  }
  schedule_cursor_s_ = to_s;
  return work;
}

}  // namespace polybot::feed
