#include "book/depth_book.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace polybot::book {
namespace {

using Levels = std::vector<DepthLevel>;

DepthDiff diff(std::uint64_t U, std::uint64_t u, std::int64_t ts = 0, std::uint64_t pu = 0) {
  return DepthDiff{U, u, pu, ts, ts};
}

void snapshot(DepthBook& b, std::uint64_t id) {
  const Levels bids{{100, 5}, {99, 7}};
  const Levels asks{{101, 3}, {102, 4}};
  b.apply_snapshot(id, bids, asks, 0);
}

TEST(DepthBook, BuffersUntilTheSnapshotThenReplays) {
  DepthBook b;
  const Levels bid{{100, 9}};
  EXPECT_EQ(b.apply_diff(diff(5, 8), bid, {}), DiffStatus::kBuffered);     // covered by the snapshot
  const Levels ask{{101, 0}};
  EXPECT_EQ(b.apply_diff(diff(9, 12), {}, ask), DiffStatus::kBuffered);    // straddles id 10
  EXPECT_FALSE(b.valid());
  const Levels bids{{100, 5}, {99, 7}};
  const Levels asks{{101, 3}, {102, 4}};
  EXPECT_EQ(b.apply_snapshot(10, bids, asks, 0), DepthSnapshotStatus::kSynced);
  EXPECT_TRUE(b.valid());
  EXPECT_EQ(b.best_bid().qty, 5);       // the 5..8 event was dropped, not applied
  EXPECT_EQ(b.best_ask().price, 102);   // the 9..12 event removed 101
  EXPECT_EQ(b.last_update_id(), 12u);
  EXPECT_EQ(b.counters().dropped_stale, 1u);
  EXPECT_EQ(b.counters().applied, 1u);
}

TEST(DepthBook, ASnapshotOlderThanTheBufferIsRejected) {
  DepthBook b;
  EXPECT_EQ(b.apply_diff(diff(20, 25), {}, {}), DiffStatus::kBuffered);
  const Levels bids{{100, 5}};
  EXPECT_EQ(b.apply_snapshot(10, bids, {}, 0), DepthSnapshotStatus::kTooOld);
  EXPECT_FALSE(b.valid());
  EXPECT_EQ(b.reason(), InvalidReason::kSnapshotTooOld);
  // A newer snapshot then syncs with the kept buffer.
  EXPECT_EQ(b.apply_snapshot(22, bids, {}, 0), DepthSnapshotStatus::kSynced);
  EXPECT_TRUE(b.valid());
  EXPECT_EQ(b.last_update_id(), 25u);
}

TEST(DepthBook, GapInvalidatesAndTheNextSnapshotResyncs) {
  DepthBook b;
  snapshot(b, 10);
  EXPECT_EQ(b.apply_diff(diff(11, 15), {}, {}), DiffStatus::kApplied);
  const Levels bid{{100, 1}};
  EXPECT_EQ(b.apply_diff(diff(17, 20), bid, {}), DiffStatus::kGap);
  EXPECT_FALSE(b.valid());
  EXPECT_EQ(b.reason(), InvalidReason::kGap);
  EXPECT_EQ(b.best_bid().qty, 5);  // the gapped event was not applied
  EXPECT_EQ(b.apply_diff(diff(21, 22), {}, {}), DiffStatus::kBuffered);
  const Levels bids{{100, 2}};
  EXPECT_EQ(b.apply_snapshot(20, bids, {}, 0), DepthSnapshotStatus::kSynced);
  EXPECT_TRUE(b.valid());
  EXPECT_EQ(b.last_update_id(), 22u);
}

TEST(DepthBook, DuplicatesAreDropped) {
  DepthBook b;
  snapshot(b, 10);
  const Levels bid{{100, 1}};
  EXPECT_EQ(b.apply_diff(diff(11, 15), bid, {}), DiffStatus::kApplied);
  const Levels bid2{{100, 99}};
  EXPECT_EQ(b.apply_diff(diff(11, 15), bid2, {}), DiffStatus::kDroppedStale);
  EXPECT_EQ(b.best_bid().qty, 1);
  EXPECT_TRUE(b.valid());
}

TEST(DepthBook, OverlappingEventIsAccepted) {
  DepthBook b;
  snapshot(b, 10);
  EXPECT_EQ(b.apply_diff(diff(8, 12), {}, {}), DiffStatus::kApplied);
  EXPECT_EQ(b.apply_diff(diff(12, 14), {}, {}), DiffStatus::kApplied);
  EXPECT_TRUE(b.valid());
}

TEST(DepthBook, FuturesEventsChainOnPreviousId) {
  DepthBook b;
  snapshot(b, 100);
  EXPECT_EQ(b.apply_diff(diff(90, 110, 0, 80), {}, {}), DiffStatus::kApplied);
  EXPECT_EQ(b.apply_diff(diff(115, 120, 0, 110), {}, {}), DiffStatus::kApplied);  // U jumps, pu chains
  EXPECT_EQ(b.apply_diff(diff(125, 130, 0, 121), {}, {}), DiffStatus::kGap);
  EXPECT_EQ(b.reason(), InvalidReason::kGap);
}

TEST(DepthBook, CrossingUpdateInvalidates) {
  DepthBook b;
  snapshot(b, 10);
  const Levels bid{{101, 1}};
  EXPECT_EQ(b.apply_diff(diff(11, 11), bid, {}), DiffStatus::kInvalidated);
  EXPECT_EQ(b.reason(), InvalidReason::kCrossed);
}

TEST(DepthBook, TimestampRegressionInvalidates) {
  DepthBook b;
  snapshot(b, 10);
  EXPECT_EQ(b.apply_diff(diff(11, 11, 1000), {}, {}), DiffStatus::kApplied);
  EXPECT_EQ(b.apply_diff(diff(12, 12, 999), {}, {}), DiffStatus::kInvalidated);
  EXPECT_EQ(b.reason(), InvalidReason::kTimestampRegression);
}

TEST(DepthBook, ReconnectAndSilenceInvalidate) {
  DepthBookConfig cfg;
  cfg.stale_after_ns = 100;
  DepthBook b(cfg);
  snapshot(b, 10);
  EXPECT_TRUE(b.check_stale(50));
  EXPECT_FALSE(b.check_stale(500));
  EXPECT_EQ(b.reason(), InvalidReason::kStale);
  snapshot(b, 20);
  EXPECT_TRUE(b.valid());
  b.on_reconnect();
  EXPECT_EQ(b.reason(), InvalidReason::kReconnect);
}

TEST(DepthBook, KeepsLevelsSortedBestFirst) {
  DepthBook b;
  snapshot(b, 1);
  const Levels bids{{98, 1}, {100, 0}, {103, 0}, {99, 2}};
  const Levels asks{{105, 1}, {101, 0}, {100, 0}};
  ASSERT_EQ(b.apply_diff(diff(2, 2), bids, asks), DiffStatus::kApplied);
  ASSERT_EQ(b.level_count(true), 2u);
  EXPECT_EQ(b.level(true, 0).price, 99);
  EXPECT_EQ(b.level(true, 0).qty, 2);
  EXPECT_EQ(b.level(true, 1).price, 98);
  ASSERT_EQ(b.level_count(false), 2u);
  EXPECT_EQ(b.level(false, 0).price, 102);
  EXPECT_EQ(b.level(false, 1).price, 105);
  EXPECT_EQ(b.depth_top(true, 5), 3);
}

TEST(DepthBook, DropsTheWorstLevelWhenFull) {
  DepthBookConfig cfg;
  cfg.max_levels_per_side = 2;
  DepthBook b(cfg);
  const Levels bids{{100, 1}, {99, 1}, {101, 1}, {50, 1}};
  b.apply_snapshot(1, bids, {}, 0);
  ASSERT_EQ(b.level_count(true), 2u);
  EXPECT_EQ(b.level(true, 0).price, 101);
  EXPECT_EQ(b.level(true, 1).price, 100);
  EXPECT_EQ(b.counters().truncated_levels, 2u);
}

TEST(DepthBook, BufferOverflowKeepsTheNewestRun) {
  DepthBookConfig cfg;
  cfg.max_buffered_events = 2;
  DepthBook b(cfg);
  b.apply_diff(diff(1, 1), {}, {});
  b.apply_diff(diff(2, 2), {}, {});
  b.apply_diff(diff(3, 3), {}, {});
  EXPECT_EQ(b.counters().buffer_overflows, 1u);
  EXPECT_EQ(b.buffered_events(), 1u);
  EXPECT_EQ(b.apply_snapshot(2, {}, {}, 0), DepthSnapshotStatus::kSynced);
  EXPECT_EQ(b.last_update_id(), 3u);
}

// The snapshot fast path (one pass over a strictly ordered side) must leave exactly the book that inserting the
// levels one at a time leaves: same levels, same order, zero sizes dropped, duplicates resolved last-wins.
TEST(DepthBook, SnapshotsInAnyOrderBuildTheSameBookAsLevelByLevelUpdates) {
  const std::vector<Levels> bid_sides{
      {{100, 5}, {99, 7}, {98, 0}, {97, 2}},          // REST order: best first, one zero
      {{97, 2}, {98, 1}, {99, 7}, {100, 5}},          // ascending
      {{100, 5}, {98, 1}, {100, 0}, {99, 7}, {98, 3}},  // unordered with duplicates: the reference path
      {},
      {{42, 1}}};
  for (const Levels& bids : bid_sides) {
    Levels asks;
    for (const auto& l : bids) asks.push_back({l.price + 1000, l.qty});
    DepthBook fast;
    ASSERT_EQ(fast.apply_snapshot(10, bids, asks, 0), DepthSnapshotStatus::kAwaiting);
    // Reference: an empty synced book fed the same levels as one diff, which goes through set_level.
    DepthBook ref;
    ASSERT_EQ(ref.apply_snapshot(10, {}, {}, 0), DepthSnapshotStatus::kAwaiting);
    ASSERT_EQ(ref.apply_diff(diff(11, 11), bids, asks), DiffStatus::kApplied);
    for (const bool bid : {true, false}) {
      ASSERT_EQ(fast.level_count(bid), ref.level_count(bid));
      for (std::size_t i = 0; i < ref.level_count(bid); ++i) {
        EXPECT_EQ(fast.level(bid, i).price, ref.level(bid, i).price);
        EXPECT_EQ(fast.level(bid, i).qty, ref.level(bid, i).qty);
      }
    }
  }
}

TEST(DepthBook, ASnapshotDeeperThanTheLimitKeepsTheBestLevels) {
  DepthBookConfig cfg;
  cfg.max_levels_per_side = 3;
  DepthBook b(cfg);
  const Levels bids{{100, 1}, {99, 1}, {98, 1}, {97, 1}, {96, 1}};
  const Levels asks{{101, 1}, {102, 1}, {103, 1}, {104, 1}};
  b.apply_snapshot(10, bids, asks, 0);
  ASSERT_EQ(b.level_count(true), 3u);
  ASSERT_EQ(b.level_count(false), 3u);
  EXPECT_EQ(b.level(true, 0).price, 100);
  EXPECT_EQ(b.level(true, 2).price, 98);
  EXPECT_EQ(b.level(false, 0).price, 101);
  EXPECT_EQ(b.level(false, 2).price, 103);
}

}  // namespace
}  // namespace polybot::book
