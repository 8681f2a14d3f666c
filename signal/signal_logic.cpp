#include "signal/signal_logic.hpp"

namespace polybot::signal {

SignalLogic::SignalLogic(std::vector<std::unique_ptr<Strategy>> strategies) : strategies_(std::move(strategies)) {
  sink_.owner = this;
}

void SignalLogic::count(const Intent& intent) noexcept {
  ++intents_;
  for (Tally& t : tally_) {
    if (t.count == 0) {
      t = Tally{intent.strategy, intent.action, intent.reason, 1};
      return;
    }
    if (t.strategy == intent.strategy && t.action == intent.action && t.reason == intent.reason) {
      ++t.count;
      return;
    }
  }
}

void SignalLogic::on_input(const Envelope& in, const Clock& clock, Emitter& out) noexcept {
  sink_.out = &out;
  for (auto& s : strategies_) s->on_message(in, clock, sink_);
  if (in.is<MarketDef>() || in.is<TickSizeChange>()) {
    // Passed on after the strategies saw it, so risk and the oms learn the market (and its tick) before any
    // order for it.
    Envelope def = in;
    def.hdr.cause_seq = 0;
    out.emit(def);
  }
}

}  // namespace polybot::signal
