#include "book/book.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace polybot::book {
namespace {

Price px(const char* s) { return *Price::parse(s); }
Qty qty(const char* s) { return *Qty::parse(s); }
TopCheck top(const char* bid, const char* ask) { return TopCheck{px(bid), px(ask)}; }

// A valid two-sided book: bids 0.48/0.49, asks 0.51/0.52 at ts 1000.
void seed(Book& b) {
  b.begin_snapshot(1000, 1);
  b.snapshot_level(BookSide::kBid, px("0.48"), qty("100"));
  b.snapshot_level(BookSide::kBid, px("0.49"), qty("50"));
  b.snapshot_level(BookSide::kAsk, px("0.52"), qty("70"));
  b.snapshot_level(BookSide::kAsk, px("0.51"), qty("30.5"));
  ASSERT_EQ(b.end_snapshot(), SnapshotStatus::kValid);
}

TEST(Book, StartsInvalidUntilASnapshot) {
  Book b;
  EXPECT_FALSE(b.valid());
  EXPECT_EQ(b.reason(), InvalidReason::kNoSnapshot);
  seed(b);
  EXPECT_TRUE(b.valid());
  EXPECT_EQ(b.best_bid(), px("0.49"));
  EXPECT_EQ(b.best_ask(), px("0.51"));
  EXPECT_EQ(b.best_ask_size(), qty("30.5"));
}

TEST(Book, AppliesPriceChangeToBestBid) {
  Book b;
  seed(b);
  EXPECT_EQ(b.apply_change(BookSide::kBid, px("0.5"), qty("10"), 1001, 2, nullptr), ApplyStatus::kApplied);
  EXPECT_EQ(b.best_bid(), px("0.5"));
  EXPECT_EQ(b.apply_change(BookSide::kBid, px("0.5"), qty("0"), 1002, 3, nullptr), ApplyStatus::kApplied);
  EXPECT_EQ(b.best_bid(), px("0.49"));
  EXPECT_EQ(b.level_count(BookSide::kBid), 2);
  EXPECT_TRUE(b.valid());
}

TEST(Book, RemovingTheBestAskFindsTheNextOne) {
  Book b;
  seed(b);
  b.apply_change(BookSide::kAsk, px("0.51"), qty("0"), 1001, 2, nullptr);
  EXPECT_EQ(b.best_ask(), px("0.52"));
  b.apply_change(BookSide::kAsk, px("0.52"), qty("0"), 1001, 2, nullptr);
  EXPECT_FALSE(b.has_ask());
  EXPECT_EQ(b.best_ask(), Price{});
}

TEST(Book, AnswersDepthQueries) {
  Book b;
  seed(b);
  EXPECT_EQ(b.depth_up_to(BookSide::kAsk, px("0.515")), qty("30.5"));
  EXPECT_EQ(b.depth_up_to(BookSide::kAsk, px("0.52")), qty("100.5"));
  EXPECT_EQ(b.depth_up_to(BookSide::kBid, px("0.49")), qty("50"));
  EXPECT_EQ(b.depth_up_to(BookSide::kBid, px("0.01")), qty("150"));
  EXPECT_EQ(b.depth_top(BookSide::kBid, 1), qty("50"));
  EXPECT_EQ(b.depth_top(BookSide::kBid, 5), qty("150"));
  EXPECT_EQ(b.depth_top(BookSide::kAsk, 0), Qty{});
  EXPECT_EQ(b.size_at(BookSide::kAsk, px("0.52")), qty("70"));
  EXPECT_EQ(b.size_at(BookSide::kAsk, px("0.53")), Qty{});
}

TEST(Book, MatchesAReferenceLadderUnderRandomUpdates) {
  Book b;
  std::map<std::int64_t, std::int64_t> bids, asks;
  std::mt19937 rng(42);
  for (int i = 0; i < 50000; ++i) {
    const bool bid = rng() % 2;
    const std::int64_t price = static_cast<std::int64_t>(rng() % 10001) * 100;
    const std::int64_t size = rng() % 3 == 0 ? 0 : static_cast<std::int64_t>(rng() % 1000000 + 1);
    ASSERT_EQ(b.set_level(bid ? BookSide::kBid : BookSide::kAsk, Price::from_raw(price), Qty::from_raw(size)),
              LevelStatus::kOk);
    auto& ref = bid ? bids : asks;
    if (size == 0) ref.erase(price); else ref[price] = size;
    ASSERT_EQ(b.best_bid().raw, bids.empty() ? 0 : bids.rbegin()->first);
    ASSERT_EQ(b.best_ask().raw, asks.empty() ? 0 : asks.begin()->first);
    ASSERT_EQ(b.level_count(BookSide::kBid), static_cast<int>(bids.size()));
  }
  std::int64_t top5 = 0;
  int n = 0;
  for (auto it = asks.begin(); it != asks.end() && n < 5; ++it, ++n) top5 += it->second;
  EXPECT_EQ(b.depth_top(BookSide::kAsk, 5).raw, top5);
}

TEST(Book, RejectsPricesOffTheGrid) {
  Book b;
  EXPECT_EQ(b.set_level(BookSide::kBid, px("0.00005"), qty("1")), LevelStatus::kOffGrid);
  EXPECT_EQ(b.set_level(BookSide::kBid, px("1.01"), qty("1")), LevelStatus::kOutOfRange);
  EXPECT_EQ(b.set_level(BookSide::kBid, px("0.5"), qty("-1")), LevelStatus::kNegativeSize);
  EXPECT_EQ(b.set_level(BookSide::kBid, px("0.0001"), qty("1")), LevelStatus::kOk);
  EXPECT_EQ(b.set_level(BookSide::kAsk, px("1"), qty("1")), LevelStatus::kOk);
}

TEST(Book, ABadLevelInAChangeInvalidatesTheBook) {
  Book b;
  seed(b);
  EXPECT_EQ(b.apply_change(BookSide::kBid, px("0.00005"), qty("1"), 1001, 2, nullptr), ApplyStatus::kInvalidated);
  EXPECT_EQ(b.reason(), InvalidReason::kBadLevel);
}

TEST(Book, TopMismatchInvalidatesAndASnapshotResyncs) {
  Book b;
  seed(b);
  const TopCheck good = top("0.5", "0.51");
  EXPECT_EQ(b.apply_change(BookSide::kBid, px("0.5"), qty("5"), 1001, 2, &good), ApplyStatus::kApplied);
  EXPECT_TRUE(b.valid());
  // The venue says the best ask is 0.515 but our ladder has 0.51: we missed an update.
  const TopCheck bad = top("0.5", "0.515");
  EXPECT_EQ(b.apply_change(BookSide::kBid, px("0.48"), qty("1"), 1002, 3, &bad), ApplyStatus::kInvalidated);
  EXPECT_FALSE(b.valid());
  EXPECT_EQ(b.reason(), InvalidReason::kTopMismatch);
  // Later matching updates do not make it valid again: only a snapshot does.
  const TopCheck again = top("0.5", "0.51");
  b.apply_change(BookSide::kBid, px("0.47"), qty("1"), 1003, 4, &again);
  EXPECT_FALSE(b.valid());
  b.begin_snapshot(1004, 5);
  b.snapshot_level(BookSide::kBid, px("0.5"), qty("5"));
  b.snapshot_level(BookSide::kAsk, px("0.515"), qty("5"));
  EXPECT_EQ(b.end_snapshot(), SnapshotStatus::kValid);
  EXPECT_TRUE(b.valid());
  EXPECT_EQ(b.best_ask(), px("0.515"));
  EXPECT_EQ(b.counters().invalidations[static_cast<int>(InvalidReason::kTopMismatch)], 1u);
}

TEST(Book, EmptySideMatchesAZeroTop) {
  Book b;
  b.begin_snapshot(1, 1);
  b.snapshot_level(BookSide::kBid, px("0.3"), qty("1"));
  ASSERT_EQ(b.end_snapshot(), SnapshotStatus::kValid);
  const TopCheck t = top("0.3", "0");
  EXPECT_EQ(b.apply_change(BookSide::kBid, px("0.2"), qty("1"), 2, 2, &t), ApplyStatus::kApplied);
  EXPECT_TRUE(b.valid());
}

TEST(Book, CrossedUpdateInvalidates) {
  Book b;
  seed(b);
  EXPECT_EQ(b.apply_change(BookSide::kBid, px("0.51"), qty("1"), 1001, 2, nullptr), ApplyStatus::kInvalidated);
  EXPECT_EQ(b.reason(), InvalidReason::kCrossed);
}

TEST(Book, CrossedSnapshotIsInvalid) {
  Book b;
  b.begin_snapshot(1, 1);
  b.snapshot_level(BookSide::kBid, px("0.6"), qty("1"));
  b.snapshot_level(BookSide::kAsk, px("0.5"), qty("1"));
  EXPECT_EQ(b.end_snapshot(), SnapshotStatus::kInvalid);
  EXPECT_EQ(b.reason(), InvalidReason::kCrossed);
}

TEST(Book, TimestampRegressionInvalidates) {
  Book b;
  seed(b);
  b.apply_change(BookSide::kBid, px("0.47"), qty("1"), 1005, 2, nullptr);
  EXPECT_EQ(b.apply_change(BookSide::kBid, px("0.46"), qty("1"), 1004, 3, nullptr), ApplyStatus::kInvalidated);
  EXPECT_EQ(b.reason(), InvalidReason::kTimestampRegression);
}

TEST(Book, EqualTimestampsAreNotARegression) {
  Book b;
  seed(b);
  b.apply_change(BookSide::kBid, px("0.47"), qty("1"), 1005, 2, nullptr);
  EXPECT_EQ(b.apply_change(BookSide::kBid, px("0.46"), qty("1"), 1005, 3, nullptr), ApplyStatus::kApplied);
  EXPECT_TRUE(b.valid());
}

TEST(Book, UpdatesOlderThanTheSnapshotAreSkippedNotApplied) {
  Book b;
  seed(b);  // ts 1000
  EXPECT_EQ(b.apply_change(BookSide::kBid, px("0.49"), qty("0"), 999, 2, nullptr),
            ApplyStatus::kDroppedPreSnapshot);
  EXPECT_TRUE(b.valid());
  EXPECT_EQ(b.best_bid(), px("0.49"));
  EXPECT_EQ(b.counters().dropped_pre_snapshot, 1u);
}

TEST(Book, ASnapshotOlderThanAppliedUpdatesIsIgnored) {
  Book b;
  seed(b);
  b.apply_change(BookSide::kBid, px("0.5"), qty("1"), 1010, 2, nullptr);
  b.begin_snapshot(1005, 3);
  b.snapshot_level(BookSide::kBid, px("0.1"), qty("1"));
  EXPECT_EQ(b.end_snapshot(), SnapshotStatus::kIgnored);
  EXPECT_EQ(b.best_bid(), px("0.5"));
  EXPECT_TRUE(b.valid());
}

TEST(Book, TickSizeChangeInvalidatesUntilResnapshot) {
  Book b;
  seed(b);
  b.on_tick_size_change(px("0.001"), 1001, 2);
  EXPECT_EQ(b.reason(), InvalidReason::kTickSizeChange);
  EXPECT_EQ(b.tick(), px("0.001"));
  b.begin_snapshot(1002, 3);
  b.snapshot_level(BookSide::kBid, px("0.491"), qty("1"));
  b.snapshot_level(BookSide::kAsk, px("0.509"), qty("1"));
  EXPECT_EQ(b.end_snapshot(), SnapshotStatus::kValid);
  EXPECT_EQ(b.best_bid(), px("0.491"));
}

TEST(Book, ReconnectInvalidatesAndAcceptsAnyFreshSnapshot) {
  Book b;
  seed(b);
  b.apply_change(BookSide::kBid, px("0.47"), qty("1"), 5000, 2, nullptr);
  b.on_reconnect();
  EXPECT_EQ(b.reason(), InvalidReason::kReconnect);
  b.begin_snapshot(4000, 3);  // the server's clock is the authority after a reconnect
  b.snapshot_level(BookSide::kBid, px("0.4"), qty("1"));
  EXPECT_EQ(b.end_snapshot(), SnapshotStatus::kValid);
  EXPECT_EQ(b.best_bid(), px("0.4"));
  EXPECT_EQ(b.level_count(BookSide::kBid), 1);
}

TEST(Book, SilenceWhileOpenMarksStale) {
  BookConfig cfg;
  cfg.stale_after_ns = 1'000;
  Book b(cfg);
  seed(b);  // recv 1
  EXPECT_TRUE(b.check_stale(500, true));
  EXPECT_TRUE(b.check_stale(5'000, false));  // closed market: silence is normal
  EXPECT_FALSE(b.check_stale(5'000, true));
  EXPECT_EQ(b.reason(), InvalidReason::kStale);
}

TEST(Book, HashMismatchIsInvalid) {
  Book b;
  b.begin_snapshot(1, 1);
  b.snapshot_level(BookSide::kBid, px("0.3"), qty("1"));
  EXPECT_EQ(b.end_snapshot(false), SnapshotStatus::kInvalid);
  EXPECT_EQ(b.reason(), InvalidReason::kHashMismatch);
}

TEST(Book, AnInterruptedSnapshotLeavesTheBookInvalid) {
  Book b;
  seed(b);
  b.begin_snapshot(1001, 2);
  b.snapshot_level(BookSide::kBid, px("0.3"), qty("1"));
  // end_snapshot never comes (malformed frame): the half-built book must not be valid.
  EXPECT_FALSE(b.valid());
}

TEST(Book, QuoteCheckIsOffByDefaultAndInvalidatesWhenEnabled) {
  Book a;
  seed(a);
  EXPECT_TRUE(a.check_quote(top("0.1", "0.9"), 1001, 2));
  BookConfig cfg;
  cfg.check_quote_top = true;
  Book b(cfg);
  seed(b);
  EXPECT_TRUE(b.check_quote(top("0.49", "0.51"), 1001, 2));
  EXPECT_FALSE(b.check_quote(top("0.1", "0.9"), 1002, 3));
  EXPECT_EQ(b.reason(), InvalidReason::kTopMismatch);
}

// Snapshot replacement clears only the bitmap words between the lowest and highest level seen since the last
// clear: after random updates anywhere on the ladder, every snapshot must leave exactly its own levels.
TEST(Book, SnapshotsReplaceEveryLevelAfterRandomUpdates) {
  Book b;
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::map<std::int64_t, std::int64_t> bids, asks;
    const std::int64_t mid = static_cast<std::int64_t>(rng() % 9000 + 500);  // slots
    b.begin_snapshot(1000 + round, 1);
    for (int k = 0; k < static_cast<int>(rng() % 30); ++k) {
      const std::int64_t slot = mid - 1 - static_cast<std::int64_t>(rng() % 400);
      const std::int64_t size = static_cast<std::int64_t>(rng() % 1000 + 1) * 1000;
      b.snapshot_level(BookSide::kBid, Price::from_raw(slot * 100), Qty::from_raw(size));
      bids[slot * 100] = size;
    }
    for (int k = 0; k < static_cast<int>(rng() % 30); ++k) {
      const std::int64_t slot = mid + static_cast<std::int64_t>(rng() % 400);
      const std::int64_t size = static_cast<std::int64_t>(rng() % 1000 + 1) * 1000;
      b.snapshot_level(BookSide::kAsk, Price::from_raw(slot * 100), Qty::from_raw(size));
      asks[slot * 100] = size;
    }
    ASSERT_EQ(b.end_snapshot(), SnapshotStatus::kValid);
    ASSERT_EQ(b.level_count(BookSide::kBid), static_cast<int>(bids.size()));
    ASSERT_EQ(b.level_count(BookSide::kAsk), static_cast<int>(asks.size()));
    // Every level the snapshot set, and nothing else, is on the ladder.
    std::map<std::int64_t, std::int64_t> seen_bids, seen_asks;
    b.for_each_level(BookSide::kBid, [&](Price p, Qty q) { seen_bids[p.raw] = q.raw; return true; });
    b.for_each_level(BookSide::kAsk, [&](Price p, Qty q) { seen_asks[p.raw] = q.raw; return true; });
    ASSERT_EQ(seen_bids, bids);
    ASSERT_EQ(seen_asks, asks);
    // Then raw ladder updates anywhere (far outside the snapshot's range too), before the next snapshot.
    for (int k = 0; k < 20; ++k) {
      const std::int64_t price = static_cast<std::int64_t>(rng() % 10001) * 100;
      const std::int64_t size = rng() % 3 == 0 ? 0 : static_cast<std::int64_t>(rng() % 1000 + 1);
      b.set_level(rng() % 2 ? BookSide::kBid : BookSide::kAsk, Price::from_raw(price), Qty::from_raw(size));
    }
  }
}

}  // namespace
}  // namespace polybot::book
