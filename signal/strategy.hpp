// Strategy: the one interface every trading strategy implements. A strategy reads the world only through the
// messages it is handed and the injected clock, and acts only by emitting Intents into the sink. The same code
// runs in the live signal agent, in replay and in the backtest: it cannot tell them apart.
// Called on the signal thread only; must not allocate, block or throw inside on_message().
#pragma once

#include <cstdint>

#include "core/clock.hpp"
#include "core/messages.hpp"

namespace polybot::signal {

class IntentSink {
 public:
  virtual ~IntentSink() = default;
  // Returns false when the intent could not be queued (counted by the sink; the strategy may retry later).
  virtual bool emit(const Intent& intent) noexcept = 0;
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  [[nodiscard]] virtual const char* name() const noexcept = 0;
  [[nodiscard]] virtual StrategyId id() const noexcept = 0;
  // Every message the signal stage consumes (market events, BookTop, Timer, ExecReport, PositionUpdate...), in
  // consumption order. `clock` is the stage's injected clock (replay clock in replay and backtest).
  virtual void on_message(const Envelope& msg, const Clock& clock, IntentSink& sink) noexcept = 0;
};

}  // namespace polybot::signal
