#include "oms/oms_agent.hpp"

namespace polybot::oms {

bool OmsAgent::emit(Envelope& msg) noexcept {
  msg.hdr.producer = Stage::kOms;
  msg.hdr.seq = ++seq_;
  msg.hdr.ts_consumed = 0;
  msg.hdr.ts_produced = clock_.now_ns();
  if (current_ != nullptr) {
    if (msg.hdr.cause_seq == 0) msg.hdr.cause_seq = current_->hdr.seq;
    if (msg.hdr.ts_recv == 0) msg.hdr.ts_recv = current_->hdr.ts_recv;
    if (msg.hdr.ts_origin == 0) msg.hdr.ts_origin = current_->hdr.ts_origin;
    if (msg.hdr.ts_exch == 0) msg.hdr.ts_exch = current_->hdr.ts_exch;
  } else if (msg.hdr.ts_recv == 0) {
    msg.hdr.ts_recv = msg.hdr.ts_produced;  // a venue answer: received now
  }
  if (recorder_ != nullptr) recorder_->on_produced(Stage::kOms, msg);
  produced_.fetch_add(1, std::memory_order_relaxed);
  if (!output_) return true;
  if (!output_->try_push(msg)) {
    // Counted (and journaled above); the caller sees false. Never silent.
    output_full_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  return true;
}

int OmsAgent::do_work() noexcept {
  if (logic_ == nullptr) return 0;
  int work = 0;
  Envelope in;
  if (!admitting_) {
    const std::int64_t now = clock_.now_ns();
    if (start_deadline_ns_ == 0) start_deadline_ns_ = now + start_timeout_ns_;
    admitting_ = logic_->gate(MarketId{}, now) == OmsReason::kNone || now >= start_deadline_ns_;
  }
  while (admitting_ && work < kBatch && input_ && input_->try_pop(in)) {
    in.hdr.ts_consumed = clock_.now_ns();
    frozen_.set(in.hdr.ts_consumed);
    if (recorder_ != nullptr) recorder_->on_consumed(Stage::kOms, in);
    consumed_.fetch_add(1, std::memory_order_relaxed);
    current_ = &in;
    logic_->on_input(in, frozen_, *this);
    current_ = nullptr;
    ++work;
  }
  work += static_cast<int>(loop_.poll());
  const std::int64_t now = clock_.now_ns();
  work += logic_->poll(now);
  if (upstream_ != nullptr && work == 0) update_done(now);
  return work;
}

void OmsAgent::update_done(std::int64_t now) noexcept {
  if (done_.load(std::memory_order_relaxed) || !upstream_->done()) return;
  if (input_ && input_->size_approx() != 0) return;
  if (drain_since_ns_ == 0) drain_since_ns_ = now;
  if (logic_->settled() || now - drain_since_ns_ > drain_timeout_ns_) done_.store(true, std::memory_order_release);
}

}  // namespace polybot::oms
