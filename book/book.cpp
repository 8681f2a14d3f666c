#include "book/book.hpp"

namespace polybot::book {

Book::Book(BookConfig config)
    : config_(config),
      bids_(static_cast<std::size_t>(kSlots)),
      asks_(static_cast<std::size_t>(kSlots)),
      bid_bits_(kSlots),
      ask_bits_(kSlots) {}

LevelStatus Book::set_level(BookSide side, Price price, Qty size) noexcept {
  if (size.raw < 0) return LevelStatus::kNegativeSize;
  if (price.raw < 0 || price.raw > Price::kScale) return LevelStatus::kOutOfRange;
  if (price.raw % kTickRaw != 0) return LevelStatus::kOffGrid;
  const auto i = static_cast<std::int32_t>(price.raw / kTickRaw);
  if (side == BookSide::kBid) {
    Qty& slot = bids_[idx(i)];
    if (size.raw == 0) {
      if (slot.raw == 0) return LevelStatus::kOk;
      slot = Qty{};
      bid_bits_.clear(i);
      --bid_count_;
      if (i == best_bid_) best_bid_ = bid_bits_.highest_at_or_below(i - 1);
    } else {
      if (slot.raw == 0) {
        bid_bits_.set(i);
        ++bid_count_;
        if (i > best_bid_) best_bid_ = i;
        if (i < bid_low_) bid_low_ = i;
      }
      slot = size;
    }
  } else {
    Qty& slot = asks_[idx(i)];
    if (size.raw == 0) {
      if (slot.raw == 0) return LevelStatus::kOk;
      slot = Qty{};
      ask_bits_.clear(i);
      --ask_count_;
      if (i == best_ask_) best_ask_ = ask_bits_.lowest_at_or_above(i + 1);
    } else {
      if (slot.raw == 0) {
        ask_bits_.set(i);
        ++ask_count_;
        if (i < best_ask_) best_ask_ = i;
        if (i > ask_high_) ask_high_ = i;
      }
      slot = size;
    }
  }
  return LevelStatus::kOk;
}

void Book::clear() noexcept {
  // Only the bitmap words between the lowest and highest slot occupied since the last clear are read, and only
  // occupied slots are written: a snapshot replacing a 20-level book touches ~60 words, not 2 x 10,001 slots.
  if (best_bid_ >= 0) bid_bits_.take_all(bid_low_, best_bid_, [this](std::int32_t i) { bids_[idx(i)] = Qty{}; });
  if (best_ask_ < kSlots) ask_bits_.take_all(best_ask_, ask_high_, [this](std::int32_t i) { asks_[idx(i)] = Qty{}; });
  bid_low_ = kSlots;
  ask_high_ = -1;
  best_bid_ = -1;
  best_ask_ = kSlots;
  bid_count_ = 0;
  ask_count_ = 0;
}

Qty Book::size_at(BookSide side, Price price) const noexcept {
  const std::int32_t i = slot_of(price);
  if (i < 0) return Qty{};
  return side == BookSide::kBid ? bids_[idx(i)] : asks_[idx(i)];
}

Qty Book::depth_up_to(BookSide side, Price limit) const noexcept {
  Qty total{};
  if (side == BookSide::kBid) {
    for_each_level(BookSide::kBid, [&](Price p, Qty q) {
      if (p < limit) return false;
      total += q;
      return true;
    });
  } else {
    for_each_level(BookSide::kAsk, [&](Price p, Qty q) {
      if (p > limit) return false;
      total += q;
      return true;
    });
  }
  return total;
}

Qty Book::depth_top(BookSide side, std::int32_t n) const noexcept {
  Qty total{};
  std::int32_t left = n;
  if (left <= 0) return total;
  for_each_level(side, [&](Price, Qty q) {
    total += q;
    return --left > 0;
  });
  return total;
}

void Book::begin_snapshot(std::int64_t ts_ms, std::int64_t recv_ns) noexcept {
  in_snapshot_ = true;
  snapshot_bad_level_ = false;
  pending_ts_ms_ = ts_ms;
  pending_recv_ns_ = recv_ns;
  // A snapshot older than what the book already reflects would roll it back: keep the newer state.
  snapshot_ignored_ = ts_ms < last_ts_ms_;
  if (snapshot_ignored_) return;
  clear();
  reason_ = InvalidReason::kNoSnapshot;  // half-built until end_snapshot
}

void Book::snapshot_level(BookSide side, Price price, Qty size) noexcept {
  if (!in_snapshot_ || snapshot_ignored_) return;
  if (set_level(side, price, size) != LevelStatus::kOk) snapshot_bad_level_ = true;
}

SnapshotStatus Book::end_snapshot(bool hash_ok) noexcept {
  if (!in_snapshot_) return SnapshotStatus::kIgnored;
  in_snapshot_ = false;
  touch(pending_recv_ns_);
  if (snapshot_ignored_) {
    ++counters_.snapshots_ignored;
    return SnapshotStatus::kIgnored;
  }
  ++counters_.snapshots;
  last_ts_ms_ = pending_ts_ms_;
  snapshot_ts_ms_ = pending_ts_ms_;
  changes_since_snapshot_ = 0;
  reason_ = InvalidReason::kNone;
  if (snapshot_bad_level_) {
    invalidate(InvalidReason::kBadLevel);
  } else if (!hash_ok) {
    invalidate(InvalidReason::kHashMismatch);
  } else if (crossed()) {
    invalidate(InvalidReason::kCrossed);
  }
  return valid() ? SnapshotStatus::kValid : SnapshotStatus::kInvalid;
}

ApplyStatus Book::apply_change(BookSide side, Price price, Qty size, std::int64_t ts_ms, std::int64_t recv_ns,
                               const TopCheck* top) noexcept {
  touch(recv_ns);
  bool invalidated = false;
  if (ts_ms < last_ts_ms_) {
    if (changes_since_snapshot_ == 0 && ts_ms < snapshot_ts_ms_) {
      ++counters_.dropped_pre_snapshot;
      return ApplyStatus::kDroppedPreSnapshot;
    }
    invalidate(InvalidReason::kTimestampRegression);
    invalidated = true;
  } else {
    last_ts_ms_ = ts_ms;
  }
  ++changes_since_snapshot_;
  ++counters_.changes_applied;
  if (set_level(side, price, size) != LevelStatus::kOk) {
    invalidate(InvalidReason::kBadLevel);
    invalidated = true;
  }
  if (crossed()) {
    invalidate(InvalidReason::kCrossed);
    invalidated = true;
  }
  if (top != nullptr && config_.check_change_top) {
    ++counters_.top_checks;
    if (!top_matches(*top)) {
      invalidate(InvalidReason::kTopMismatch);
      invalidated = true;
    }
  }
  return invalidated ? ApplyStatus::kInvalidated : ApplyStatus::kApplied;
}

bool Book::check_quote(const TopCheck& top, std::int64_t ts_ms, std::int64_t recv_ns) noexcept {
  touch(recv_ns);
  if (!config_.check_quote_top || ts_ms < last_ts_ms_) return valid();
  ++counters_.top_checks;
  if (!top_matches(top)) invalidate(InvalidReason::kTopMismatch);
  return valid();
}

void Book::on_tick_size_change(Price new_tick, std::int64_t ts_ms, std::int64_t recv_ns) noexcept {
  touch(recv_ns);
  if (ts_ms > last_ts_ms_) last_ts_ms_ = ts_ms;
  tick_ = new_tick;
  invalidate(InvalidReason::kTickSizeChange);
}

void Book::on_reconnect() noexcept {
  invalidate(InvalidReason::kReconnect);
  // A new connection has no ordering relation with the old one: the next snapshot is authoritative.
  last_ts_ms_ = 0;
  snapshot_ts_ms_ = 0;
  in_snapshot_ = false;
}

bool Book::check_stale(std::int64_t now_ns, bool market_open) noexcept {
  if (valid() && market_open && config_.stale_after_ns > 0 && now_ns - last_recv_ns_ > config_.stale_after_ns) {
    invalidate(InvalidReason::kStale);
  }
  return valid();
}

void Book::invalidate(InvalidReason reason) noexcept {
  if (reason == InvalidReason::kNone) return;
  ++counters_.invalidations[static_cast<std::size_t>(reason) & 15u];
  // The first reason is the one that matters for diagnosis; later ones are counted only.
  if (reason_ == InvalidReason::kNone) reason_ = reason;
}

}  // namespace polybot::book
