// DepthBook: a Binance order book (BTC prices in UsdPrice raw units, quantities in BtcQty raw units) kept as two
// sorted flat arrays with the best level at the back (updates cluster near the top, so inserts shift little),
// synchronised from a REST snapshot plus diff-depth events by the documented update-id rules:
//   spot    : drop u <= lastUpdateId; the first applied event has U <= lastUpdateId+1; then each U == prev u + 1.
//   futures : (events carry pu) drop u < lastUpdateId; the first has U <= lastUpdateId <= u; then pu == prev u.
// Events that arrive before the snapshot (or after a gap) are buffered in preallocated storage and replayed when
// the next snapshot arrives. Feed thread only. Allocates in the constructor only. Never throws.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "book/book_health.hpp"

namespace polybot::book {

struct DepthLevel {
  std::int64_t price = 0;  // UsdPrice raw
  std::int64_t qty = 0;    // BtcQty raw; 0 removes the level
};

struct DepthDiff {
  std::uint64_t first_id = 0;  // U
  std::uint64_t last_id = 0;   // u
  std::uint64_t prev_id = 0;   // pu (futures), 0 when absent
  std::int64_t ts_exch_ns = 0; // E
  std::int64_t ts_recv_ns = 0;
};

struct DepthBookConfig {
  std::uint32_t max_levels_per_side = 8192;  // deeper levels are dropped (the REST snapshot gives at most 5000)
  std::uint32_t max_buffered_events = 4096;
  std::uint32_t max_buffered_levels = 1u << 18;
  std::int64_t stale_after_ns = 10'000'000'000;  // 0 disables the silence rule
};

enum class DiffStatus : std::uint8_t {
  kApplied = 0,
  kBuffered = 1,      // waiting for a snapshot
  kDroppedStale = 2,  // already covered by the snapshot or a previous event
  kGap = 3,           // update ids not contiguous: book invalid, waiting for a new snapshot
  kInvalidated = 4,   // applied, but a check failed (crossed, timestamp regression)
};

enum class DepthSnapshotStatus : std::uint8_t {
  kSynced = 0,    // snapshot + buffered events applied: the book is valid
  kTooOld = 1,    // the buffered events start after the snapshot: fetch a newer one
  kInvalid = 2,   // replaced, but a check failed
  kAwaiting = 3,  // applied, but no event has confirmed continuity yet (valid; first event is checked)
};

struct DepthCounters {
  std::uint64_t applied = 0;
  std::uint64_t buffered = 0;
  std::uint64_t dropped_stale = 0;
  std::uint64_t gaps = 0;
  std::uint64_t snapshots = 0;
  std::uint64_t truncated_levels = 0;
  std::uint64_t buffer_overflows = 0;
};

class DepthBook {
 public:
  explicit DepthBook(DepthBookConfig config = {});

  DiffStatus apply_diff(const DepthDiff& diff, std::span<const DepthLevel> bids,
                        std::span<const DepthLevel> asks) noexcept;
  DepthSnapshotStatus apply_snapshot(std::uint64_t last_update_id, std::span<const DepthLevel> bids,
                                     std::span<const DepthLevel> asks, std::int64_t ts_recv_ns) noexcept;
  // A partial-depth push (depth5/10/20): a complete top-N picture, replacing the book; valid by construction.
  void apply_partial(std::uint64_t last_update_id, std::span<const DepthLevel> bids,
                     std::span<const DepthLevel> asks, std::int64_t ts_recv_ns) noexcept;
  void on_reconnect() noexcept;
  bool check_stale(std::int64_t now_ns) noexcept;
  void invalidate(InvalidReason reason) noexcept;

  [[nodiscard]] bool valid() const noexcept { return reason_ == InvalidReason::kNone; }
  [[nodiscard]] InvalidReason reason() const noexcept { return reason_; }
  [[nodiscard]] bool has_bid() const noexcept { return !bids_.empty(); }
  [[nodiscard]] bool has_ask() const noexcept { return !asks_.empty(); }
  [[nodiscard]] DepthLevel best_bid() const noexcept { return bids_.empty() ? DepthLevel{} : bids_.back(); }
  [[nodiscard]] DepthLevel best_ask() const noexcept { return asks_.empty() ? DepthLevel{} : asks_.back(); }
  [[nodiscard]] std::size_t level_count(bool bid) const noexcept { return bid ? bids_.size() : asks_.size(); }
  // i-th level from the best (0 = best).
  [[nodiscard]] DepthLevel level(bool bid, std::size_t i) const noexcept {
    const auto& v = bid ? bids_ : asks_;
    return v[v.size() - 1 - i];
  }
  [[nodiscard]] std::int64_t depth_top(bool bid, std::size_t n) const noexcept;
  [[nodiscard]] std::uint64_t last_update_id() const noexcept { return last_id_; }
  [[nodiscard]] const DepthCounters& counters() const noexcept { return counters_; }
  [[nodiscard]] std::size_t buffered_events() const noexcept { return pending_.size(); }

 private:
  struct Pending {
    DepthDiff diff;
    std::uint32_t bid_begin, bid_count, ask_begin, ask_count;
  };
  enum class Sync : std::uint8_t { kAwaitingSnapshot, kFirstEvent, kSynced };

  void set_level(bool bid, DepthLevel lvl) noexcept;
  void replace(std::span<const DepthLevel> bids, std::span<const DepthLevel> asks) noexcept;
  void buffer(const DepthDiff& diff, std::span<const DepthLevel> bids, std::span<const DepthLevel> asks) noexcept;
  DiffStatus apply_synced(const DepthDiff& diff, std::span<const DepthLevel> bids,
                          std::span<const DepthLevel> asks, bool rebuffer) noexcept;
  void lose_sync(InvalidReason reason) noexcept;

  DepthBookConfig config_;
  std::vector<DepthLevel> bids_;  // ascending price: best at the back
  std::vector<DepthLevel> asks_;  // descending price: best at the back
  std::vector<Pending> pending_;
  std::vector<DepthLevel> pending_levels_;
  Sync sync_ = Sync::kAwaitingSnapshot;
  InvalidReason reason_ = InvalidReason::kNoSnapshot;
  std::uint64_t last_id_ = 0;
  std::int64_t last_exch_ns_ = 0;
  std::int64_t last_recv_ns_ = 0;
  DepthCounters counters_;
};

}  // namespace polybot::book
