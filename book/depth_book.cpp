#include "book/depth_book.hpp"

#include <algorithm>

namespace polybot::book {

DepthBook::DepthBook(DepthBookConfig config) : config_(config) {
  bids_.reserve(config_.max_levels_per_side + 1);
  asks_.reserve(config_.max_levels_per_side + 1);
  pending_.reserve(config_.max_buffered_events);
  pending_levels_.reserve(config_.max_buffered_levels);
}

void DepthBook::set_level(bool bid, DepthLevel lvl) noexcept {
  auto& v = bid ? bids_ : asks_;
  // bids ascending, asks descending: in both, "better" is further back.
  const auto it = bid ? std::lower_bound(v.begin(), v.end(), lvl.price,
                                         [](const DepthLevel& a, std::int64_t p) { return a.price < p; })
                      : std::lower_bound(v.begin(), v.end(), lvl.price,
                                         [](const DepthLevel& a, std::int64_t p) { return a.price > p; });
  if (it != v.end() && it->price == lvl.price) {
    if (lvl.qty == 0) {
      v.erase(it);
    } else {
      it->qty = lvl.qty;
    }
    return;
  }
  if (lvl.qty == 0) return;
  if (v.size() >= config_.max_levels_per_side) {
    ++counters_.truncated_levels;
    if (it == v.begin()) return;  // worse than everything we keep
    const auto pos = it - v.begin();
    v.erase(v.begin());
    v.insert(v.begin() + (pos - 1), lvl);
    return;
  }
  v.insert(it, lvl);
}

namespace {

// A snapshot side whose prices are strictly monotonic (the REST answer lists each side best first) maps onto the
// sorted array directly: one pass, instead of inserting best-first levels at the front of a best-at-the-back array
// (quadratic: ~200 MB of memmove for a 5000-level REST snapshot). Returns false, leaving `out` cleared, when the
// side is not strictly ordered either way or is deeper than `max`; the caller then uses set_level, whose
// duplicate, zero and truncation rules stay the reference.
bool fill_sorted(std::vector<DepthLevel>& out, std::span<const DepthLevel> in, bool ascending,
                 std::size_t max) noexcept {
  out.clear();
  if (in.size() > max) return false;
  bool inc = true, dec = true;
  for (std::size_t i = 1; i < in.size(); ++i) {
    inc = inc && in[i - 1].price < in[i].price;
    dec = dec && in[i - 1].price > in[i].price;
  }
  if (!inc && !dec) return false;
  const bool same_order = in.size() < 2 || inc == ascending;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const DepthLevel& l = same_order ? in[i] : in[in.size() - 1 - i];
    if (l.qty != 0) out.push_back(l);  // capacity reserved in the constructor (max + 1)
  }
  return true;
}

}  // namespace

void DepthBook::replace(std::span<const DepthLevel> bids, std::span<const DepthLevel> asks) noexcept {
  if (!fill_sorted(bids_, bids, true, config_.max_levels_per_side)) {
    for (const auto& l : bids) set_level(true, l);
  }
  if (!fill_sorted(asks_, asks, false, config_.max_levels_per_side)) {
    for (const auto& l : asks) set_level(false, l);
  }
}

std::int64_t DepthBook::depth_top(bool bid, std::size_t n) const noexcept {
  const auto& v = bid ? bids_ : asks_;
  std::int64_t total = 0;
  for (std::size_t i = 0; i < n && i < v.size(); ++i) total += v[v.size() - 1 - i].qty;
  return total;
}

void DepthBook::buffer(const DepthDiff& diff, std::span<const DepthLevel> bids,
                       std::span<const DepthLevel> asks) noexcept {
  const std::size_t need = bids.size() + asks.size();
  if (pending_.size() >= config_.max_buffered_events ||
      pending_levels_.size() + need > config_.max_buffered_levels) {
    // Only the newest contiguous run matters for the next snapshot: start over from this event.
    ++counters_.buffer_overflows;
    pending_.clear();
    pending_levels_.clear();
    if (need > config_.max_buffered_levels) return;
  }
  Pending p{diff, static_cast<std::uint32_t>(pending_levels_.size()), static_cast<std::uint32_t>(bids.size()), 0,
            static_cast<std::uint32_t>(asks.size())};
  pending_levels_.insert(pending_levels_.end(), bids.begin(), bids.end());
  p.ask_begin = static_cast<std::uint32_t>(pending_levels_.size());
  pending_levels_.insert(pending_levels_.end(), asks.begin(), asks.end());
  pending_.push_back(p);
  ++counters_.buffered;
}

void DepthBook::lose_sync(InvalidReason reason) noexcept {
  invalidate(reason);
}

void DepthBook::invalidate(InvalidReason reason) noexcept {
  if (reason == InvalidReason::kNone) return;
  if (reason_ == InvalidReason::kNone) reason_ = reason;
  // Any invalid state needs a new snapshot; buffer from the next event on.
  sync_ = Sync::kAwaitingSnapshot;
  pending_.clear();
  pending_levels_.clear();
}

DiffStatus DepthBook::apply_diff(const DepthDiff& diff, std::span<const DepthLevel> bids,
                                 std::span<const DepthLevel> asks) noexcept {
  if (diff.ts_recv_ns > last_recv_ns_) last_recv_ns_ = diff.ts_recv_ns;
  if (sync_ == Sync::kAwaitingSnapshot) {
    buffer(diff, bids, asks);
    return DiffStatus::kBuffered;
  }
  return apply_synced(diff, bids, asks, true);
}

DiffStatus DepthBook::apply_synced(const DepthDiff& diff, std::span<const DepthLevel> bids,
                                   std::span<const DepthLevel> asks, bool rebuffer) noexcept {
  const bool futures = diff.prev_id != 0;
  bool continuous;
  if (futures) {
    if (diff.last_id < last_id_ || (sync_ == Sync::kSynced && diff.last_id == last_id_)) {
      ++counters_.dropped_stale;
      return DiffStatus::kDroppedStale;
    }
    continuous = sync_ == Sync::kFirstEvent ? (diff.first_id <= last_id_ && diff.last_id >= last_id_)
                                            : diff.prev_id == last_id_;
  } else {
    if (diff.last_id <= last_id_) {
      ++counters_.dropped_stale;
      return DiffStatus::kDroppedStale;
    }
    continuous = diff.first_id <= last_id_ + 1;
  }
  if (!continuous) {
    ++counters_.gaps;
    lose_sync(InvalidReason::kGap);
    // The first event of the next sync attempt (not when replaying the buffer: its storage was just reset).
    if (rebuffer) buffer(diff, bids, asks);
    return DiffStatus::kGap;
  }
  for (const auto& l : bids) set_level(true, l);
  for (const auto& l : asks) set_level(false, l);
  last_id_ = diff.last_id;
  sync_ = Sync::kSynced;
  ++counters_.applied;
  bool ok = true;
  if (diff.ts_exch_ns < last_exch_ns_) {
    invalidate(InvalidReason::kTimestampRegression);
    ok = false;
  } else {
    last_exch_ns_ = diff.ts_exch_ns;
  }
  if (ok && has_bid() && has_ask() && best_bid().price >= best_ask().price) {
    invalidate(InvalidReason::kCrossed);
    ok = false;
  }
  return ok ? DiffStatus::kApplied : DiffStatus::kInvalidated;
}

DepthSnapshotStatus DepthBook::apply_snapshot(std::uint64_t last_update_id, std::span<const DepthLevel> bids,
                                              std::span<const DepthLevel> asks, std::int64_t ts_recv_ns) noexcept {
  ++counters_.snapshots;
  if (ts_recv_ns > last_recv_ns_) last_recv_ns_ = ts_recv_ns;
  // Find the first buffered event the snapshot does not already cover and check it continues the snapshot.
  std::size_t first = 0;
  for (; first < pending_.size(); ++first) {
    const DepthDiff& d = pending_[first].diff;
    const bool covered = d.prev_id != 0 ? d.last_id < last_update_id : d.last_id <= last_update_id;
    if (!covered) break;
    ++counters_.dropped_stale;
  }
  if (first < pending_.size()) {
    const DepthDiff& d = pending_[first].diff;
    const bool continues = d.prev_id != 0 ? d.first_id <= last_update_id && d.last_id >= last_update_id
                                          : d.first_id <= last_update_id + 1;
    if (!continues) {
      // The snapshot predates the buffered events: keep them, ask for a newer snapshot.
      if (reason_ == InvalidReason::kNone || reason_ == InvalidReason::kNoSnapshot) {
        reason_ = InvalidReason::kSnapshotTooOld;
      }
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(first));
      return DepthSnapshotStatus::kTooOld;
    }
  }
  replace(bids, asks);
  last_id_ = last_update_id;
  last_exch_ns_ = 0;
  reason_ = InvalidReason::kNone;
  sync_ = Sync::kFirstEvent;
  if (has_bid() && has_ask() && best_bid().price >= best_ask().price) {
    invalidate(InvalidReason::kCrossed);
    return DepthSnapshotStatus::kInvalid;
  }
  // Replay what was buffered, in order, through the same rules as live events.
  for (std::size_t i = first; i < pending_.size() && sync_ != Sync::kAwaitingSnapshot; ++i) {
    const Pending p = pending_[i];  // by value: an invalidation below resets the buffer
    const DiffStatus s = apply_synced(
        p.diff, std::span<const DepthLevel>(pending_levels_.data() + p.bid_begin, p.bid_count),
        std::span<const DepthLevel>(pending_levels_.data() + p.ask_begin, p.ask_count), false);
    if (s == DiffStatus::kGap || s == DiffStatus::kInvalidated) return DepthSnapshotStatus::kInvalid;
  }
  pending_.clear();
  pending_levels_.clear();
  return sync_ == Sync::kSynced ? DepthSnapshotStatus::kSynced : DepthSnapshotStatus::kAwaiting;
}

void DepthBook::apply_partial(std::uint64_t last_update_id, std::span<const DepthLevel> bids,
                              std::span<const DepthLevel> asks, std::int64_t ts_recv_ns) noexcept {
  if (ts_recv_ns > last_recv_ns_) last_recv_ns_ = ts_recv_ns;
  if (last_update_id < last_id_ && sync_ != Sync::kAwaitingSnapshot) {
    ++counters_.dropped_stale;
    return;
  }
  replace(bids, asks);
  last_id_ = last_update_id;
  reason_ = InvalidReason::kNone;
  sync_ = Sync::kSynced;
  if (has_bid() && has_ask() && best_bid().price >= best_ask().price) invalidate(InvalidReason::kCrossed);
}

void DepthBook::on_reconnect() noexcept {
  invalidate(InvalidReason::kReconnect);
}

bool DepthBook::check_stale(std::int64_t now_ns) noexcept {
  if (valid() && config_.stale_after_ns > 0 && now_ns - last_recv_ns_ > config_.stale_after_ns) {
    invalidate(InvalidReason::kStale);
  }
  return valid();
}

}  // namespace polybot::book
