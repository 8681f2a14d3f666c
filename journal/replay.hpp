// Replay verification of one stage: feeds every input the stage journaled as consumed, in order, to a fresh
// StageLogic with a replay clock frozen at the journaled consumption time, captures what it emits through an
// Emitter that stamps exactly like the live StageAgent, and compares each output with the journaled produced
// record — every byte except hdr.ts_consumed and hdr.ts_produced (latency data). Stops at the first divergence
// and names the stream, sequence and field. Runs on the calling thread; allocates (it is an offline tool).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/stage.hpp"

namespace polybot::journal {

struct Divergence {
  std::string stream;
  std::uint64_t record_seq = 0;   // journal record sequence where it showed (0: at the end of the stream)
  std::uint64_t message_seq = 0;  // hdr.seq of the produced message
  std::string type;               // message type
  std::string field;              // first differing field ("<missing>" / "<extra>" for count mismatches)
  std::string journaled;
  std::string replayed;
  [[nodiscard]] std::string describe() const;
};

struct ReplayReport {
  std::uint64_t consumed = 0;   // inputs fed to the logic
  std::uint64_t produced = 0;   // journaled outputs compared
  std::uint64_t raw_frames = 0; // raw records seen (not re-parsed by a stage-level replay)
  std::optional<Divergence> divergence;
  std::uint64_t unjournaled_tail = 0;  // outputs of the last input missing because the run was killed mid-way
  std::string error;            // the journal could not be read to the end (fault description)
  [[nodiscard]] bool ok() const noexcept { return !divergence && error.empty(); }
};

// `journal_dir` holds the segment files; the stream is the stage's name.
ReplayReport replay_verify(const std::string& journal_dir, Stage stage, StageLogic& logic);

// The first byte at which two messages of type `type` differ, ignoring the two latency stamps; -1 if equal.
long first_difference(const Envelope& a, const Envelope& b, std::size_t size) noexcept;

}  // namespace polybot::journal
