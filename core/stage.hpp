// The deterministic core of a pipeline stage, and the hooks around it.
//   StageLogic    : a pure function of the sequence of inputs it consumed and the clock it is handed. The live
//                   StageAgent and the replay driver both call on_input(); nothing else feeds it.
//   Emitter       : where the logic puts what it produces (stamped, journaled and queued by the agent).
//   StageRecorder : the journal's hook; core does not depend on the journal.
// All three are used on the stage's own thread only; none may allocate, block or throw.
#pragma once

#include "core/clock.hpp"
#include "core/msg/envelope.hpp"

namespace polybot {

class Emitter {
 public:
  virtual ~Emitter() = default;
  // The emitter fills hdr.producer, hdr.seq, hdr.ts_produced, and (when zero) hdr.cause_seq, hdr.ts_recv and
  // hdr.ts_origin from the input being processed. Returns false only if the message had to be dropped.
  virtual bool emit(Envelope& msg) noexcept = 0;
};

class StageLogic {
 public:
  virtual ~StageLogic() = default;
  [[nodiscard]] virtual Stage stage() const noexcept = 0;
  // One consumed input, in consumption order. `clock` reads the consumption time (frozen for the duration of
  // the call, so live and replay see the same value).
  virtual void on_input(const Envelope& in, const Clock& clock, Emitter& out) noexcept = 0;
};

class StageRecorder {
 public:
  virtual ~StageRecorder() = default;
  // `in` carries hdr.ts_consumed; called before the logic sees it.
  virtual void on_consumed(Stage stage, const Envelope& in) noexcept = 0;
  // `out` is fully stamped; called before it is queued downstream.
  virtual void on_produced(Stage stage, const Envelope& out) noexcept = 0;
};

}  // namespace polybot
