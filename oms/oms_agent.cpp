#include "oms/oms_agent.hpp"

namespace polybot::oms {

bool OmsAgent::emit(Envelope& msg) noexcept {
  msg.hdr.producer = Stage::kOms;
  msg.hdr.seq = ++seq_;
  msg.hdr.ts_produced = clock_.now_ns();
  if (current_ != nullptr) {
    if (msg.hdr.cause_seq == 0) msg.hdr.cause_seq = current_->hdr.seq;
    if (msg.hdr.ts_recv == 0) msg.hdr.ts_recv = current_->hdr.ts_recv;
    if (msg.hdr.ts_origin == 0) msg.hdr.ts_origin = current_->hdr.ts_origin;
  } else if (msg.hdr.ts_recv == 0) {
    msg.hdr.ts_recv = msg.hdr.ts_produced;  // a venue answer: received now
  }
  if (recorder_ != nullptr) recorder_->on_produced(Stage::kOms, msg);
  if (!output_ || !output_->try_push(msg)) {
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
  while (work < kBatch && input_ && input_->try_pop(in)) {
    in.hdr.ts_consumed = clock_.now_ns();
    if (recorder_ != nullptr) recorder_->on_consumed(Stage::kOms, in);
    current_ = &in;
    logic_->on_input(in, clock_, *this);
    current_ = nullptr;
    ++work;
  }
  work += static_cast<int>(loop_.poll());
  work += logic_->poll(clock_.now_ns());
  return work;
}

}  // namespace polybot::oms
