// CountingOms: the foundation pipeline's order stage. It consumes OrderRequests and counts them (per side,
// total notional); nothing is sent anywhere. The real oms (signing, gateway, lifecycle) replaces it.
// Oms thread only; no allocation.
#pragma once

#include "core/stage.hpp"

namespace polybot::oms {

class CountingOms final : public StageLogic {
 public:
  [[nodiscard]] Stage stage() const noexcept override { return Stage::kOms; }
  void on_input(const Envelope& in, const Clock& clock, Emitter& out) noexcept override;

  [[nodiscard]] std::uint64_t orders() const noexcept { return buys_ + sells_; }
  [[nodiscard]] std::uint64_t buys() const noexcept { return buys_; }
  [[nodiscard]] std::uint64_t sells() const noexcept { return sells_; }
  [[nodiscard]] Usdc notional() const noexcept { return notional_; }

 private:
  std::uint64_t buys_ = 0, sells_ = 0;
  Usdc notional_;
};

}  // namespace polybot::oms
