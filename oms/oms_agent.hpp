// OmsAgent: runs OmsLogic live on one Runner thread. Each do_work() consumes a bounded batch of inputs
// (OrderRequest, Command) from its channel, polls the I/O loop shared by the gateway and the user channel (venue
// answers reach OmsLogic as callbacks there), then OmsLogic::poll (signatures back from the helper, heartbeats,
// reconciliation, pre-sign refills). Every ExecReport is stamped (producer, seq, ts_produced), recorded and pushed
// to the output channel; a full output channel is counted, never silent. No allocation after construction.
// done() (for a finite run): the upstream is done, the input is drained and every order sent has an answer
// (or drain_timeout passed). Counters are atomics, readable from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>

#include "core/agent.hpp"
#include "core/channel.hpp"
#include "core/clock.hpp"
#include "core/net/io_loop.hpp"
#include "core/stage.hpp"
#include "oms/oms_logic.hpp"

namespace polybot::oms {

class OmsAgent final : public Agent, public Emitter {
 public:
  static constexpr int kBatch = 64;

  // All referents outlive the agent. `recorder` may be null. Build OmsLogic with this agent as its Emitter.
  OmsAgent(net::IoLoop& loop, const Clock& clock, StageRecorder* recorder) noexcept
      : loop_(loop), clock_(clock), recorder_(recorder) {}

  // `output` may be null: ExecReports are then journaled and counted only.
  void bind(OmsLogic& logic, Channel<Envelope>& input, Channel<Envelope>* output) noexcept {
    logic_ = &logic;
    input_.emplace(input.consumer());
    if (output != nullptr) output_.emplace(output->producer());
  }
  void set_upstream(const Agent* upstream) noexcept { upstream_ = upstream; }
  void set_drain_timeout_ms(std::int64_t ms) noexcept { drain_timeout_ns_ = ms * 1'000'000; }
  // Inputs wait in the channel until the oms admits orders (start-up reconciliation clean, first heartbeat
  // acknowledged) or this long after the first do_work: a run does not lose its first decisions to start-up.
  void set_start_timeout_ms(std::int64_t ms) noexcept { start_timeout_ns_ = ms * 1'000'000; }

  [[nodiscard]] const char* name() const noexcept override { return "oms"; }
  void attach_parker(Parker* parker) noexcept override {
    if (input_) input_->wake_via(parker);
  }
  int do_work() noexcept override;
  bool emit(Envelope& msg) noexcept override;
  [[nodiscard]] bool done() const noexcept override { return done_.load(std::memory_order_acquire); }

  [[nodiscard]] std::uint64_t output_full() const noexcept { return output_full_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t consumed() const noexcept { return consumed_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t produced() const noexcept { return produced_.load(std::memory_order_relaxed); }

 private:
  void update_done(std::int64_t now) noexcept;

  net::IoLoop& loop_;
  const Clock& clock_;
  StageRecorder* recorder_;
  OmsLogic* logic_ = nullptr;
  const Agent* upstream_ = nullptr;
  std::optional<Channel<Envelope>::Consumer> input_;
  std::optional<Channel<Envelope>::Producer> output_;
  ManualClock frozen_;  // the logic's clock during on_input: the journaled consumption time (replay sees it too)
  const Envelope* current_ = nullptr;
  std::uint64_t seq_ = 0;
  std::int64_t drain_timeout_ns_ = 5'000'000'000;
  std::int64_t drain_since_ns_ = 0;
  std::int64_t start_timeout_ns_ = 0;
  std::int64_t start_deadline_ns_ = 0;
  bool admitting_ = false;
  std::atomic<std::uint64_t> output_full_{0}, consumed_{0}, produced_{0};
  std::atomic<bool> done_{false};
};

}  // namespace polybot::oms
