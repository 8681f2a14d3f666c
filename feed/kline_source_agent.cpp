#include "feed/kline_source_agent.hpp"

namespace polybot::feed {

KlineSourceAgent::KlineSourceAgent(std::vector<KlineRow> rows, Channel<Envelope>& out, const Clock& clock,
                                   StageRecorder* recorder, Options options)
    : rows_(std::move(rows)), out_(out.producer()), clock_(clock), recorder_(recorder), opt_(options) {
  end_ = (opt_.limit == 0 || opt_.limit > rows_.size()) ? rows_.size() : opt_.limit;
  period_ns_ = opt_.rate_per_s > 0.0 ? static_cast<std::int64_t>(1e9 / opt_.rate_per_s) : 0;
  if (end_ == 0) done_.store(true, std::memory_order_release);
}

void KlineSourceAgent::on_start() noexcept { start_ns_ = clock_.now_ns(); }

int KlineSourceAgent::do_work() noexcept {
  if (done_.load(std::memory_order_relaxed)) return 0;
  int work = 0;
  for (int burst = 0; burst < 64; ++burst) {
    if (!holding_) {
      if (next_ == end_) {
        done_.store(true, std::memory_order_release);
        return work;
      }
      const std::int64_t now = clock_.now_ns();
      std::int64_t origin = now;
      if (period_ns_ > 0) {
        origin = start_ns_ + static_cast<std::int64_t>(next_) * period_ns_;
        if (now < origin) return work;  // not yet its intended time
      }
      const KlineRow& r = rows_[next_];
      Kline k{};
      k.hdr.type = Kline::kType;
      k.hdr.producer = Stage::kFeed;
      k.hdr.instrument = opt_.instrument;
      k.hdr.seq = next_ + 1;
      k.hdr.ts_exch = r.close_time_ms * 1'000'000;
      k.hdr.ts_recv = now;
      k.hdr.ts_origin = origin;
      k.open_time_ms = r.open_time_ms;
      k.close_time_ms = r.close_time_ms;
      k.open = r.open;
      k.high = r.high;
      k.low = r.low;
      k.close = r.close;
      k.volume = r.volume;
      k.trades = r.trades;
      k.closed = 1;
      held_ = Envelope::of(k);
      ++next_;
      held_.hdr.ts_produced = clock_.now_ns();
      if (recorder_ != nullptr) recorder_->on_produced(Stage::kFeed, held_);
      holding_ = true;
    }
    if (!out_.try_push(held_)) {
      backpressure_.fetch_add(1, std::memory_order_relaxed);
      return work;
    }
    holding_ = false;
    produced_.store(produced_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    ++work;
  }
  return work;
}

}  // namespace polybot::feed
