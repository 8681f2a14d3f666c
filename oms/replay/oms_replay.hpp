// OmsReplay: re-runs the live oms stage (OmsLogic, as ClobOms builds it) over its journaled stream and checks it
// bit for bit. The stream holds, in the order the oms thread wrote them: the inputs from risk (consumed
// OrderRequest/Command), the ExecReports it produced, and its outside inputs (OmsInputKind raw records: venue
// answers, user-channel frames, signatures with their salt/timestamp baked into the signed body, heartbeat
// health, the poll times at which something changed) and the venue calls that went out. The replay feeds the
// inputs to a fresh OmsLogic at their journaled times; its venue does not send but checks each call against the
// journaled one (kind, order id, the exact signed bytes) and answers with the journaled outcome; its signer hands
// back the journaled signed bodies (checking each was asked for by the same key); each produced ExecReport is
// compared with the journaled one by the caller's comparator. Stops at the first divergence, naming the record.
// Offline tool: allocates, runs on the calling thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/msg/envelope.hpp"
#include "oms/clob_oms.hpp"
#include "oms/oms_input_recorder.hpp"

namespace polybot::oms {

struct OmsRecord {
  enum class Kind : std::uint8_t { kConsumed, kProduced, kInput };
  Kind kind = Kind::kInput;
  std::uint64_t seq = 0;       // journal record sequence
  std::int64_t ts_ns = 0;      // the record's time
  Envelope msg{};              // kConsumed / kProduced
  std::size_t msg_size = 0;
  OmsInputKind input{};        // kInput
  std::string head, body;      // kInput
};

// Splits a raw oms input record [kind u8][head size u16 LE][head][body]; false if malformed.
bool decode_oms_input(const void* data, std::size_t size, OmsInputKind* kind, std::string* head, std::string* body);

struct OmsDivergence {
  std::uint64_t record_seq = 0;   // the journal record where it showed (0: end of stream)
  std::string what;               // which record / call, journaled vs replayed
};

struct OmsReplayReport {
  std::uint64_t consumed = 0;     // inputs from risk fed to the logic
  std::uint64_t produced = 0;     // ExecReports compared
  std::uint64_t venue_inputs = 0; // answers, frames, signatures, ticks fed back
  std::uint64_t calls = 0;        // venue calls checked (orders, cancels, queries)
  std::uint64_t signed_bodies = 0;
  std::optional<OmsDivergence> divergence;
  std::string error;              // the stream cannot be replayed (no kStart record, malformed records)
  [[nodiscard]] bool ok() const noexcept { return !divergence && error.empty(); }
};

// Compares a journaled produced message with the replayed one (`size` bytes of their type): empty when equal, else
// the first differing field with both values.
using OmsMessageCompare = std::function<std::string(const Envelope& journaled, const Envelope& replayed, std::size_t size)>;

// `cfg` is the run's ClobOmsConfig (markets, presign targets, oms settings, signed_slots); the API key and funder
// come from the stream's kStart record.
OmsReplayReport replay_oms(const ClobOmsConfig& cfg, const std::vector<OmsRecord>& records,
                           const OmsMessageCompare& compare);

}  // namespace polybot::oms
