#include "feed/feed_agent.hpp"

#include <algorithm>
#include <array>

namespace polybot::feed {

FeedAgent::FeedAgent(net::IoLoop* loop, BookSet& books, const Clock& clock, Channel<Envelope>::Producer out,
                     FeedAgentConfig config)
    : loop_(loop), books_(books), clock_(clock), out_(out), config_(config) {
  markets_.reserve(64);
}

void FeedAgent::track(const TrackedMarket& m) {
  untrack(m.market);
  markets_.push_back(m);
  books_.prepare_book(m.up);
  books_.prepare_book(m.down);
}

void FeedAgent::untrack(MarketId market) {
  markets_.erase(std::remove_if(markets_.begin(), markets_.end(),
                                [&](const TrackedMarket& t) { return t.market == market; }),
                 markets_.end());
}

void FeedAgent::set_schedule(const WindowSchedule* schedule, RollHandler on_roll) {
  schedule_ = schedule;
  on_roll_ = std::move(on_roll);
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
  e.hdr.seq = ++seq_;
  if (!out_.try_push(e)) {
    ++dropped_;  // counted; the channel's own counter feeds the halt logic downstream
    return false;
  }
  ++published_;
  return true;
}

int FeedAgent::do_work() noexcept {
  int work = 0;
  if (loop_ != nullptr) work += static_cast<int>(loop_->poll());
  const std::int64_t now_ns = clock_.now_ns();
  const std::int64_t now_s = now_ns / 1'000'000'000;
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
  if (schedule_ != nullptr && now_s > schedule_cursor_s_) {
    std::array<ScheduledEvent, 32> due{};
    const std::size_t n = schedule_->due(schedule_cursor_s_, now_s, due);
    for (std::size_t i = 0; i < n; ++i) {
      const ScheduledEvent& ev = due[i];
      if (ev.is_timer) {
        MarketId market{};
        for (const TrackedMarket& m : markets_) {
          if (m.window_start_s == ev.window_start_s) market = m.market;
        }
        Timer t = schedule_->timer_of(ev, market);
        t.hdr.ts_recv = now_ns;
        t.hdr.ts_origin = now_ns;
        t.hdr.ts_produced = now_ns;
        Envelope e = Envelope::of(t);
        publish(e);
      } else if (on_roll_) {
        on_roll_(ev);
      }
      ++work;
    }
    // A full buffer means more events remain: continue from the last one handed out.
    schedule_cursor_s_ = n == due.size() ? due[n - 1].at_s : now_s;
  }
  return work;
}

}  // namespace polybot::feed
