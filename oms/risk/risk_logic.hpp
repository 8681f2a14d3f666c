// RiskLogic: the pre-trade gate of the risk stage. Turns each Intent into an OrderRequest (with a fresh
// ClientOrderId) or a Denied with the reason; follows halt/resume/panic Commands. This is the foundation's gate
// (trading state, per-order notional cap, capital reservation); sizing policies and breakers sit in front of it.
// Risk thread only; no allocation in on_input.
#pragma once

#include "core/stage.hpp"

namespace polybot::oms::risk {

struct RiskParams {
  Usdc capital = Usdc::from_units(100);
  Usdc max_order_notional = Usdc::from_units(25);
  Usdc min_order_notional = Usdc::from_units(1);
};

class RiskLogic final : public StageLogic {
 public:
  explicit RiskLogic(RiskParams params) noexcept;
  [[nodiscard]] Stage stage() const noexcept override { return Stage::kRisk; }
  void on_input(const Envelope& in, const Clock& clock, Emitter& out) noexcept override;

  [[nodiscard]] std::uint64_t approved() const noexcept { return approved_; }
  [[nodiscard]] std::uint64_t denied() const noexcept { return denied_; }
  [[nodiscard]] std::uint64_t skipped() const noexcept { return skipped_; }
  [[nodiscard]] TradingState state() const noexcept { return state_; }
  [[nodiscard]] Usdc available() const noexcept { return available_; }

 private:
  void deny(const Intent& it, DenyReason reason, Usdc limit, Emitter& out) noexcept;

  RiskParams p_;
  Usdc available_;
  TradingState state_ = TradingState::kActive;
  std::uint64_t next_client_id_ = 0;
  std::uint64_t approved_ = 0, denied_ = 0, skipped_ = 0;
};

}  // namespace polybot::oms::risk
