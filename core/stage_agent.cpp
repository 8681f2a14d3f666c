#include "core/stage_agent.hpp"

namespace polybot {

StageAgent::StageAgent(const char* name, StageLogic& logic, const Clock& live_clock,
                       StageRecorder* recorder) noexcept
    : name_(name), logic_(logic), live_(live_clock), recorder_(recorder), pending_(kPending) {}

void StageAgent::add_input(EnvelopeChannel& ch) noexcept { inputs_.push_back(ch.consumer()); }

void StageAgent::add_output(EnvelopeChannel& ch, TypeMask accepts, WhenFull when_full) noexcept {
  outputs_.push_back(Output{ch.producer(), accepts, when_full});
}

void StageAgent::attach_parker(Parker* parker) noexcept {
  for (auto& in : inputs_) in.wake_via(parker);
}

bool StageAgent::emit(Envelope& msg) noexcept {
  auto& h = msg.hdr;
  h.producer = logic_.stage();
  h.seq = ++seq_;
  if (current_ != nullptr) {
    if (h.cause_seq == 0) h.cause_seq = current_->hdr.seq;
    if (h.ts_recv == 0) h.ts_recv = current_->hdr.ts_recv;
    if (h.ts_origin == 0) h.ts_origin = current_->hdr.ts_origin;
    if (h.ts_exch == 0) h.ts_exch = current_->hdr.ts_exch;  // the data time of what caused it
  }
  h.ts_consumed = 0;
  h.ts_produced = live_.now_ns();
  if (current_ != nullptr) service_hist_.record(h.ts_produced - consumed_live_ns_);
  if (recorder_ != nullptr) recorder_->on_produced(logic_.stage(), msg);
  produced_.store(produced_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  for (std::uint32_t i = 0; i < outputs_.size(); ++i) {
    if (!outputs_[i].accepts.has(h.type)) continue;
    if (outputs_[i].when_full == WhenFull::kDrop) {
      // Pushed at once even while other outputs wait: its order only matters within its own channel.
      if (!outputs_[i].producer.try_push(msg)) shed_.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    if (pending_count_ == 0 && outputs_[i].producer.try_push(msg)) continue;
    backpressure_.fetch_add(1, std::memory_order_relaxed);
    if (pending_count_ == kPending) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    pending_[(pending_head_ + pending_count_) % kPending] = Pending{msg, i};
    ++pending_count_;
  }
  return true;
}

bool StageAgent::flush_pending() noexcept {
  while (pending_count_ > 0) {
    Pending& p = pending_[pending_head_];
    if (!outputs_[p.output].producer.try_push(p.msg)) return false;
    pending_head_ = (pending_head_ + 1) % kPending;
    --pending_count_;
  }
  return true;
}

void StageAgent::update_drained() noexcept {
  for (const Agent* up : upstream_) {
    if (!up->done()) return;
  }
  // Upstreams are done (their last push happened before done() turned true), so empty inputs stay empty.
  for (auto& in : inputs_) {
    if (in.size_approx() != 0) return;
  }
  if (pending_count_ == 0) drained_.store(true, std::memory_order_release);
}

int StageAgent::do_work() noexcept {
  int work = 0;
  if (pending_count_ > 0) {
    if (!flush_pending()) return 0;
    ++work;
  }
  for (auto& in : inputs_) {
    for (std::size_t n = 0; n < kBatch && pending_count_ == 0; ++n) {
      Envelope* front = in.peek();
      if (front == nullptr) break;
      Envelope msg = *front;
      (void)in.pop();
      const std::int64_t now = live_.now_ns();
      consumed_live_ns_ = now;
      queue_hist_.record(now - msg.hdr.ts_produced);
      if (msg.hdr.ts_origin != 0) origin_hist_.record(now - msg.hdr.ts_origin);
      std::int64_t event = now;
      if (event_time_ == EventTime::kData) {
        if (msg.hdr.ts_exch > data_time_ns_) data_time_ns_ = msg.hdr.ts_exch;
        event = data_time_ns_;
      }
      msg.hdr.ts_consumed = event;
      event_clock_.set(event);
      consumed_.store(consumed_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
      if (recorder_ != nullptr) recorder_->on_consumed(logic_.stage(), msg);
      current_ = &msg;
      logic_.on_input(msg, event_clock_, *this);
      current_ = nullptr;
      ++work;
    }
  }
  if (work == 0 && !drained_.load(std::memory_order_relaxed)) update_drained();
  return work;
}

StageCounters StageAgent::counters() const noexcept {
  return StageCounters{consumed_.load(std::memory_order_relaxed), produced_.load(std::memory_order_relaxed),
                       backpressure_.load(std::memory_order_relaxed), dropped_.load(std::memory_order_relaxed),
                       shed_.load(std::memory_order_relaxed)};
}

}  // namespace polybot
