// Book: the L2 book of one Polymarket outcome token, as two flat arrays of sizes indexed by price tick
// (0.0001 steps over [0, 1]: 10001 slots a side), with incremental best bid/ask, depth queries, snapshot
// replacement, absolute level updates, and the integrity rules that decide whether the book may be traded on.
// Feed thread only. Allocates its arrays in the constructor; nothing afterwards. Never throws.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "book/book_health.hpp"
#include "book/level_bitmap.hpp"
#include "core/fixed_point.hpp"
#include "core/msg/market_event.hpp"

namespace polybot::book {

struct BookConfig {
  // Silence longer than this while the market is open marks the book stale (kStale). 0 disables the rule.
  std::int64_t stale_after_ns = 30'000'000'000;
  // Compare the venue's best_bid/best_ask carried by each price_change entry with our ladder (kTopMismatch).
  bool check_change_top = true;
  // Compare best_bid_ask events too. Off by default: their ordering relative to price_change frames is not
  // documented, so a mismatch could be a race rather than a wrong book (docs/UNVERIFIED.md).
  bool check_quote_top = false;
};

enum class LevelStatus : std::uint8_t { kOk = 0, kOffGrid = 1, kOutOfRange = 2, kNegativeSize = 3 };

enum class ApplyStatus : std::uint8_t {
  kApplied = 0,            // applied; the book may still be invalid for an earlier reason
  kDroppedPreSnapshot = 1, // older than the snapshot the book was rebuilt from: already included, skipped
  kInvalidated = 2,        // applied or not, this update made the book invalid (see reason())
};

enum class SnapshotStatus : std::uint8_t {
  kValid = 0,     // the book was replaced and is valid
  kInvalid = 1,   // the book was replaced but failed a check (crossed, bad level, hash): invalid
  kIgnored = 2,   // older than updates already applied: the book was left as it was
};

// The venue's view of the top after a change, carried by the update itself; a side is 0 when empty.
struct TopCheck {
  Price bid;
  Price ask;
};

struct BookCounters {
  std::uint64_t changes_applied = 0;
  std::uint64_t dropped_pre_snapshot = 0;
  std::uint64_t snapshots = 0;
  std::uint64_t snapshots_ignored = 0;
  std::uint64_t top_checks = 0;
  std::array<std::uint64_t, 16> invalidations{};  // by InvalidReason
};

class Book {
 public:
  static constexpr std::int32_t kSlots = kPriceLevels;  // 10001
  static constexpr std::int64_t kTickRaw = kMinTick.raw;

  explicit Book(BookConfig config = {});

  // ---- ladder (no integrity bookkeeping) ----
  // Sets the absolute size at price (0 removes the level).
  LevelStatus set_level(BookSide side, Price price, Qty size) noexcept;
  void clear() noexcept;

  [[nodiscard]] bool has_bid() const noexcept { return best_bid_ >= 0; }
  [[nodiscard]] bool has_ask() const noexcept { return best_ask_ < kSlots; }
  [[nodiscard]] Price best_bid() const noexcept { return has_bid() ? price_of(best_bid_) : Price{}; }
  [[nodiscard]] Price best_ask() const noexcept { return has_ask() ? price_of(best_ask_) : Price{}; }
  [[nodiscard]] Qty best_bid_size() const noexcept { return has_bid() ? bids_[idx(best_bid_)] : Qty{}; }
  [[nodiscard]] Qty best_ask_size() const noexcept { return has_ask() ? asks_[idx(best_ask_)] : Qty{}; }
  [[nodiscard]] Qty size_at(BookSide side, Price price) const noexcept;
  [[nodiscard]] std::int32_t level_count(BookSide side) const noexcept {
    return side == BookSide::kBid ? bid_count_ : ask_count_;
  }
  // Total size available to a taker up to `limit`: bids priced >= limit, or asks priced <= limit.
  [[nodiscard]] Qty depth_up_to(BookSide side, Price limit) const noexcept;
  // Total size over the best n levels of a side.
  [[nodiscard]] Qty depth_top(BookSide side, std::int32_t n) const noexcept;
  // Visits levels best first: f(Price, Qty) -> bool (false stops).
  template <class F>
  void for_each_level(BookSide side, F&& f) const noexcept {
    if (side == BookSide::kBid) {
      for (std::int32_t i = best_bid_; i >= 0; i = bid_bits_.highest_at_or_below(i - 1)) {
        if (!f(price_of(i), bids_[idx(i)])) return;
      }
    } else {
      for (std::int32_t i = best_ask_; i < kSlots; i = ask_bits_.lowest_at_or_above(i + 1)) {
        if (!f(price_of(i), asks_[idx(i)])) return;
      }
    }
  }

  // ---- venue events with integrity rules (timestamps: venue ms; recv: our ns) ----
  // A full snapshot (WS `book` or REST /book): begin, levels, end. A snapshot older than the newest update
  // already applied is ignored as a whole.
  void begin_snapshot(std::int64_t ts_ms, std::int64_t recv_ns) noexcept;
  void snapshot_level(BookSide side, Price price, Qty size) noexcept;
  // A whole side of the snapshot at once: any range of items with `.price` (Price) and `.size` (Qty).
  template <class Levels>
  void snapshot_side(BookSide side, const Levels& levels) noexcept {
    if (!in_snapshot_ || snapshot_ignored_) return;
    for (const auto& l : levels) {
      if (set_level(side, l.price, l.size) != LevelStatus::kOk) snapshot_bad_level_ = true;
    }
  }
  SnapshotStatus end_snapshot(bool hash_ok = true) noexcept;

  // One price_change entry: absolute size at a level, then the checks. `top` may be null (legacy shapes).
  ApplyStatus apply_change(BookSide side, Price price, Qty size, std::int64_t ts_ms, std::int64_t recv_ns,
                           const TopCheck* top) noexcept;
  // A best_bid_ask event; returns false if it invalidated the book.
  bool check_quote(const TopCheck& top, std::int64_t ts_ms, std::int64_t recv_ns) noexcept;
  void on_tick_size_change(Price new_tick, std::int64_t ts_ms, std::int64_t recv_ns) noexcept;
  // The connection carrying this book dropped: no replay exists, so the book must be rebuilt.
  void on_reconnect() noexcept;
  // Any frame about this market arrived (keeps the silence rule honest on quiet books).
  void touch(std::int64_t recv_ns) noexcept {
    if (recv_ns > last_recv_ns_) last_recv_ns_ = recv_ns;
  }
  // Applies the silence rule at `now_ns`; returns true if the book is (still) valid.
  bool check_stale(std::int64_t now_ns, bool market_open) noexcept;
  void invalidate(InvalidReason reason) noexcept;

  [[nodiscard]] bool valid() const noexcept { return reason_ == InvalidReason::kNone; }
  [[nodiscard]] InvalidReason reason() const noexcept { return reason_; }
  [[nodiscard]] Price tick() const noexcept { return tick_; }
  void set_tick(Price tick) noexcept { tick_ = tick; }
  [[nodiscard]] std::int64_t last_ts_ms() const noexcept { return last_ts_ms_; }
  [[nodiscard]] std::int64_t last_recv_ns() const noexcept { return last_recv_ns_; }
  [[nodiscard]] const BookCounters& counters() const noexcept { return counters_; }
  [[nodiscard]] const BookConfig& config() const noexcept { return config_; }

  // Slot of a price, or -1 when off the 0.0001 grid or outside [0, 1].
  static constexpr std::int32_t slot_of(Price p) noexcept {
    if (p.raw < 0 || p.raw > Price::kScale || p.raw % kTickRaw != 0) return -1;
    return static_cast<std::int32_t>(p.raw / kTickRaw);
  }
  static constexpr Price price_of(std::int32_t slot) noexcept { return Price::from_raw(slot * kTickRaw); }

 private:
  static std::size_t idx(std::int32_t i) noexcept { return static_cast<std::size_t>(i); }
  [[nodiscard]] bool crossed() const noexcept { return has_bid() && has_ask() && best_bid_ >= best_ask_; }
  [[nodiscard]] bool top_matches(const TopCheck& top) const noexcept {
    return best_bid().raw == top.bid.raw && best_ask().raw == top.ask.raw;
  }

  BookConfig config_;
  std::vector<Qty> bids_;
  std::vector<Qty> asks_;
  LevelBitmap bid_bits_;
  LevelBitmap ask_bits_;
  std::int32_t best_bid_ = -1;      // slot, -1: none
  std::int32_t best_ask_ = kSlots;  // slot, kSlots: none
  std::int32_t bid_count_ = 0;
  std::int32_t ask_count_ = 0;
  // Lowest bid / highest ask slot occupied since the last clear (levels all lie between these and the best):
  // bounds the part of the bitmaps clear() has to read.
  std::int32_t bid_low_ = kSlots;
  std::int32_t ask_high_ = -1;

  InvalidReason reason_ = InvalidReason::kNoSnapshot;
  Price tick_ = Price::from_raw(10'000);  // 0.01 until the venue says otherwise
  std::int64_t last_ts_ms_ = 0;           // newest venue time applied
  std::int64_t snapshot_ts_ms_ = 0;       // venue time of the snapshot the book was rebuilt from
  std::int64_t last_recv_ns_ = 0;
  std::uint64_t changes_since_snapshot_ = 0;
  std::int64_t pending_ts_ms_ = 0;        // snapshot in progress
  std::int64_t pending_recv_ns_ = 0;
  bool in_snapshot_ = false;
  bool snapshot_ignored_ = false;
  bool snapshot_bad_level_ = false;
  BookCounters counters_;
};

}  // namespace polybot::book
