// SignalLogic: the signal stage's deterministic core. Hands every consumed message to each hosted strategy in a
// fixed order and emits their Intents (SKIP decisions included, so the journal holds every decision).
// Signal thread only; no allocation in on_input.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "core/stage.hpp"
#include "signal/strategy.hpp"

namespace polybot::signal {

class SignalLogic final : public StageLogic {
 public:
  explicit SignalLogic(std::vector<std::unique_ptr<Strategy>> strategies);
  [[nodiscard]] Stage stage() const noexcept override { return Stage::kSignal; }
  void on_input(const Envelope& in, const Clock& clock, Emitter& out) noexcept override;

  [[nodiscard]] std::uint64_t intents() const noexcept { return intents_; }
  // Decisions per (strategy, action, reason), first seen first; at most kTally distinct triples are kept.
  struct Tally {
    StrategyId strategy{};
    IntentAction action = IntentAction::kSkip;
    ReasonCode reason = 0;
    std::uint64_t count = 0;
  };
  static constexpr std::size_t kTally = 64;
  [[nodiscard]] const std::array<Tally, kTally>& tallies() const noexcept { return tally_; }
  [[nodiscard]] const std::vector<std::unique_ptr<Strategy>>& strategies() const noexcept { return strategies_; }

 private:
  class Sink final : public IntentSink {
   public:
    Emitter* out = nullptr;
    SignalLogic* owner = nullptr;
    bool emit(const Intent& intent) noexcept override {
      Envelope e = Envelope::of(intent);
      owner->count(intent);
      return out->emit(e);
    }
  };
  void count(const Intent& intent) noexcept;
  std::array<Tally, kTally> tally_{};
  std::vector<std::unique_ptr<Strategy>> strategies_;
  std::uint64_t intents_ = 0;
  Sink sink_;
};

}  // namespace polybot::signal
