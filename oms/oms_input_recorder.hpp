// OmsInputRecorder: the journal hook for what reaches the oms from outside the pipeline's channels — venue
// answers (order, cancel, query, heartbeat), user-channel frames and gaps, and signatures back from the helper.
// Each is recorded as one raw record: [kind u8][fixed head][body bytes], in the order the oms thread saw them, so
// the journal holds every input of the oms decisions (ExecReports). Called on the oms thread only; an
// implementation must not allocate, block or throw. Secrets never pass through it (HMACs and keys stay in the
// gateway; order bodies carry public signatures only).
#pragma once

#include <cstdint>
#include <string_view>

namespace polybot::oms {

enum class OmsInputKind : std::uint8_t {
  kOrderAnswer = 1,   // head: ClientOrderId value (u64) + OrderAnswer
  kCancelAnswer = 2,  // head: OrderDigest + cancelled (u8) + VenueError (u16)
  kCancelFailed = 3,  // head: RequestKind (u8) + VenueError (u16)
  kQueryAnswer = 4,   // head: RequestKind (u8) + VenueError (u16); body: the HTTP answer body
  kHeartbeat = 5,     // head: ok (u8) + VenueError (u16)
  kUserFrame = 6,     // body: the user-channel text frame as received
  kUserGap = 7,       // head: open (u8)
  kSignDone = 8,      // head: SignDone + digest + SignKey + signed_ns; body: the signed POST /order body
  // What the replay needs to re-run the logic exactly (oms/replay/oms_replay.hpp):
  kTick = 9,          // OmsLogic::poll(now) changed something: ts = its now (the record precedes the effects)
  kSent = 10,         // a call on the venue that went out: head SentHead; body: the order body / cursor / ids
  kSignRefused = 11,  // the signer's queue refused a job (the order was refused)
  kHealth = 12,       // the venue's heartbeat health as the logic saw it changed: head healthy (u8)
  kStart = 13,        // the logic's identity: head started_ns (i64); body: api key, '\n', funder address
};

// kSent head: which call, for which order (kOrder: client id; cancels: first digest), with what flags.
struct SentHead {
  std::uint8_t kind = 0;    // RequestKind
  std::uint8_t resend = 0;
  std::uint16_t count = 0;  // cancel_many: ids in the body
  std::uint32_t pad = 0;
  std::uint64_t client = 0;
  std::int64_t after_s = 0; // query_trades
};

class OmsInputRecorder {
 public:
  virtual ~OmsInputRecorder() = default;
  virtual void record(OmsInputKind kind, std::int64_t ts_ns, const void* head, std::uint32_t head_size,
                      std::string_view body) noexcept = 0;
};

}  // namespace polybot::oms
