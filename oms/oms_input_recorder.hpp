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
  kSignDone = 8,      // head: SignDone + digest (32 bytes); body: the signed POST /order body
};

class OmsInputRecorder {
 public:
  virtual ~OmsInputRecorder() = default;
  virtual void record(OmsInputKind kind, std::int64_t ts_ns, const void* head, std::uint32_t head_size,
                      std::string_view body) noexcept = 0;
};

}  // namespace polybot::oms
