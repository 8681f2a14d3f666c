#include "signal/signal_logic.hpp"

namespace polybot::signal {

SignalLogic::SignalLogic(std::vector<std::unique_ptr<Strategy>> strategies) : strategies_(std::move(strategies)) {
  sink_.count = &intents_;
}

void SignalLogic::on_input(const Envelope& in, const Clock& clock, Emitter& out) noexcept {
  sink_.out = &out;
  for (auto& s : strategies_) s->on_message(in, clock, sink_);
}

}  // namespace polybot::signal
