// Why a book is not trusted. A strategy or risk check must not use a book whose health is not kValid. The
// reasons are stable numbers (journaled, exported as metrics). Any thread (plain enums).
#pragma once

#include <cstdint>

namespace polybot::book {

enum class InvalidReason : std::uint8_t {
  kNone = 0,                // valid
  kNoSnapshot = 1,          // never synced since start
  kCrossed = 2,             // best bid >= best ask after an update
  kTopMismatch = 3,         // the venue's best_bid/best_ask after a change disagrees with our ladder
  kTimestampRegression = 4, // an update older than one already applied
  kTickSizeChange = 5,      // the venue changed the tick: levels may be re-bucketed, resnapshot
  kReconnect = 6,           // the connection dropped: no replay exists, resnapshot
  kStale = 7,               // silent longer than the threshold while the market is open
  kHashMismatch = 8,        // a snapshot's content hash did not match (only when the check is enforced)
  kBadLevel = 9,            // a level off the price grid or with a negative size
  kGap = 10,                // Binance: update ids not contiguous
  kSnapshotTooOld = 11,     // a snapshot older than the updates already seen
  kBufferOverflow = 12,     // Binance: too many updates buffered while waiting for a snapshot
};

constexpr const char* to_string(InvalidReason r) noexcept {
  switch (r) {
    case InvalidReason::kNone: return "none";
    case InvalidReason::kNoSnapshot: return "no_snapshot";
    case InvalidReason::kCrossed: return "crossed";
    case InvalidReason::kTopMismatch: return "top_mismatch";
    case InvalidReason::kTimestampRegression: return "timestamp_regression";
    case InvalidReason::kTickSizeChange: return "tick_size_change";
    case InvalidReason::kReconnect: return "reconnect";
    case InvalidReason::kStale: return "stale";
    case InvalidReason::kHashMismatch: return "hash_mismatch";
    case InvalidReason::kBadLevel: return "bad_level";
    case InvalidReason::kGap: return "gap";
    case InvalidReason::kSnapshotTooOld: return "snapshot_too_old";
    case InvalidReason::kBufferOverflow: return "buffer_overflow";
  }
  return "unknown";
}

}  // namespace polybot::book
