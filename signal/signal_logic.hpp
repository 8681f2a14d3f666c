// SignalLogic: the signal stage's deterministic core. Hands every consumed message to each hosted strategy in a
// fixed order and emits their Intents (SKIP decisions included, so the journal holds every decision).
// Signal thread only; no allocation in on_input.
#pragma once

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
  [[nodiscard]] const std::vector<std::unique_ptr<Strategy>>& strategies() const noexcept { return strategies_; }

 private:
  class Sink final : public IntentSink {
   public:
    Emitter* out = nullptr;
    std::uint64_t* count = nullptr;
    bool emit(const Intent& intent) noexcept override {
      Envelope e = Envelope::of(intent);
      ++*count;
      return out->emit(e);
    }
  };
  std::vector<std::unique_ptr<Strategy>> strategies_;
  std::uint64_t intents_ = 0;
  Sink sink_;
};

}  // namespace polybot::signal
