// OmsAgent: runs OmsLogic live on one Runner thread. Each do_work() consumes a bounded batch of inputs
// (OrderRequest, Command) from its channel, polls the I/O loop shared by the gateway and the user channel (venue
// answers reach OmsLogic as callbacks there), then OmsLogic::poll (signatures back from the helper, heartbeats,
// reconciliation, pre-sign refills). Every ExecReport is stamped (producer, seq, ts_produced), recorded and pushed
// to the output channel; a full output channel is counted, never silent. No allocation after construction.
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

  void bind(OmsLogic& logic, Channel<Envelope>& input, Channel<Envelope>& output) noexcept {
    logic_ = &logic;
    input_.emplace(input.consumer());
    output_.emplace(output.producer());
  }

  [[nodiscard]] const char* name() const noexcept override { return "oms"; }
  int do_work() noexcept override;
  bool emit(Envelope& msg) noexcept override;

  [[nodiscard]] std::uint64_t output_full() const noexcept { return output_full_.load(std::memory_order_relaxed); }

 private:
  net::IoLoop& loop_;
  const Clock& clock_;
  StageRecorder* recorder_;
  OmsLogic* logic_ = nullptr;
  std::optional<Channel<Envelope>::Consumer> input_;
  std::optional<Channel<Envelope>::Producer> output_;
  const Envelope* current_ = nullptr;
  std::uint64_t seq_ = 0;
  std::atomic<std::uint64_t> output_full_{0};
};

}  // namespace polybot::oms
