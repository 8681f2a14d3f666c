#include "feed/book_set.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "feed/parse/polymarket_parser.hpp"

namespace polybot::feed {
namespace {

constexpr const char* kUp = "1111";

std::string book_frame(std::int64_t ts, const char* bid, const char* ask) {
  return std::string(R"({"event_type":"book","asset_id":"1111","market":"0xm","bids":[{"price":")") + bid +
         R"(","size":"10"}],"asks":[{"price":")" + ask + R"(","size":"20"}],"timestamp":")" + std::to_string(ts) +
         R"(","hash":"00"})";
}

std::string change_frame(std::int64_t ts, const char* price, const char* size, const char* side, const char* bb,
                         const char* ba) {
  return std::string(R"({"event_type":"price_change","market":"0xm","timestamp":")") + std::to_string(ts) +
         R"(","price_changes":[{"asset_id":"1111","price":")" + price + R"(","size":")" + size + R"(","side":")" +
         side + R"(","hash":"h","best_bid":")" + bb + R"(","best_ask":")" + ba + R"("}]})";
}

struct Harness {
  InstrumentTable tokens{16};
  InstrumentId up = tokens.add(kUp);
  BookSet books;
  PolymarketParser parser{tokens};
  explicit Harness(BookSetConfig cfg = {}) : books(cfg) { books.prepare_book(up); }
  void feed(const std::string& frame, std::int64_t recv = 1) { ASSERT_EQ(parser.parse(frame, recv, books), ParseStatus::kOk); }
  book::Book& book() { return *books.book(up); }
};

TEST(BookSet, SnapshotThenConsistentChangesStayValid) {
  Harness h;
  EXPECT_FALSE(h.book().valid());
  h.feed(book_frame(100, "0.48", "0.52"));
  EXPECT_TRUE(h.book().valid());
  h.feed(change_frame(101, "0.49", "5", "BUY", "0.49", "0.52"));
  h.feed(change_frame(102, "0.51", "7", "SELL", "0.49", "0.51"));
  EXPECT_TRUE(h.book().valid());
  EXPECT_EQ(h.book().best_ask(), *Price::parse("0.51"));
  EXPECT_TRUE(h.books.take_changed(h.up));
  EXPECT_FALSE(h.books.take_changed(h.up));
}

TEST(BookSet, AMissedUpdateIsCaughtByTheTopCheckAndResyncedBySnapshot) {
  Harness h;
  h.feed(book_frame(100, "0.48", "0.52"));
  // The venue applied a change we never saw (bid 0.50): its best_bid disagrees with ours.
  h.feed(change_frame(101, "0.47", "5", "BUY", "0.5", "0.52"));
  EXPECT_FALSE(h.book().valid());
  EXPECT_EQ(h.book().reason(), book::InvalidReason::kTopMismatch);
  h.feed(book_frame(102, "0.5", "0.52"));
  EXPECT_TRUE(h.book().valid());
  EXPECT_EQ(h.book().best_bid(), *Price::parse("0.5"));
}

TEST(BookSet, TickSizeChangeInvalidatesUntilARestSnapshot) {
  Harness h;
  h.feed(book_frame(100, "0.48", "0.52"));
  h.feed(R"({"event_type":"tick_size_change","asset_id":"1111","market":"0xm","old_tick_size":"0.01","new_tick_size":"0.001","timestamp":"101"})");
  EXPECT_EQ(h.book().reason(), book::InvalidReason::kTickSizeChange);
  EXPECT_EQ(h.book().tick(), *Price::parse("0.001"));
  const std::string rest =
      R"({"market":"0xm","asset_id":"1111","timestamp":"102","hash":"","bids":[{"price":"0.481","size":"3"}],"asks":[{"price":"0.519","size":"4"}]})";
  ASSERT_EQ(h.parser.parse_rest_book(rest, 2, h.books, HashCheckMode::kOff), ParseStatus::kOk);
  EXPECT_TRUE(h.book().valid());
  EXPECT_EQ(h.book().best_bid(), *Price::parse("0.481"));
}

TEST(BookSet, EnforcedHashMismatchKeepsTheRestSnapshotInvalid) {
  BookSetConfig cfg;
  cfg.rest_hash = HashCheckMode::kEnforce;
  Harness h(cfg);
  const std::string rest =
      R"({"market":"0xm","asset_id":"1111","timestamp":"102","hash":"0123456789abcdef0123456789abcdef01234567","bids":[{"price":"0.48","size":"3"}],"asks":[{"price":"0.52","size":"4"}]})";
  ASSERT_EQ(h.parser.parse_rest_book(rest, 2, h.books, HashCheckMode::kEnforce), ParseStatus::kOk);
  EXPECT_FALSE(h.book().valid());
  EXPECT_EQ(h.book().reason(), book::InvalidReason::kHashMismatch);
  EXPECT_EQ(h.books.counters().hash_mismatches, 1u);
  Harness d;  // diagnostic mode: counted, not enforced
  ASSERT_EQ(d.parser.parse_rest_book(rest, 2, d.books, HashCheckMode::kDiagnostic), ParseStatus::kOk);
  EXPECT_TRUE(d.book().valid());
  EXPECT_EQ(d.books.counters().hash_mismatches, 1u);
}

TEST(BookSet, CrossingChangeAndTimestampRegressionInvalidate) {
  Harness h;
  h.feed(book_frame(100, "0.48", "0.52"));
  h.feed(change_frame(101, "0.53", "1", "BUY", "0.53", "0.52"));
  EXPECT_EQ(h.book().reason(), book::InvalidReason::kCrossed);
  Harness g;
  g.feed(book_frame(100, "0.48", "0.52"));
  g.feed(change_frame(105, "0.47", "1", "BUY", "0.48", "0.52"));
  g.feed(change_frame(104, "0.46", "1", "BUY", "0.48", "0.52"));
  EXPECT_EQ(g.book().reason(), book::InvalidReason::kTimestampRegression);
}

TEST(BookSet, ReconnectAndSilenceInvalidate) {
  BookSetConfig cfg;
  cfg.book.stale_after_ns = 1000;
  Harness h(cfg);
  h.feed(book_frame(100, "0.48", "0.52"), 10);
  EXPECT_TRUE(h.book().check_stale(500, true));
  EXPECT_FALSE(h.book().check_stale(2000, true));
  EXPECT_EQ(h.book().reason(), book::InvalidReason::kStale);
  h.feed(book_frame(101, "0.48", "0.52"), 3000);
  EXPECT_TRUE(h.book().valid());
  h.books.on_reconnect_polymarket();
  EXPECT_EQ(h.book().reason(), book::InvalidReason::kReconnect);
  h.feed(book_frame(50, "0.48", "0.52"), 4000);
  EXPECT_TRUE(h.book().valid());
}

TEST(BookSet, UpdatesForUnpreparedTokensAreCountedNotApplied) {
  InstrumentTable tokens(16);
  tokens.add("1111");
  const InstrumentId other = tokens.add("2222");
  BookSet books;
  PolymarketParser parser(tokens);
  ASSERT_EQ(parser.parse(R"({"event_type":"book","asset_id":"2222","market":"0x","bids":[],"asks":[],"timestamp":"1"})",
                         1, books),
            ParseStatus::kOk);
  EXPECT_EQ(books.book(other), nullptr);
  EXPECT_EQ(books.counters().unprepared, 2u);  // begin and end markers
}

// The parser hands a snapshot over one side at a time; the BookSet applies a side in one call. A sink that only
// knows on_book_level gets the same levels one by one (MarketSink's default): both must build the same book.
TEST(BookSet, ASnapshotSideAtOnceBuildsTheSameBookAsLevelByLevel) {
  struct LevelByLevel final : MarketSink {
    BookSet& to;
    explicit LevelByLevel(BookSet& b) : to(b) {}
    void on_book_snapshot(const BookSnapshot& m) noexcept override { to.on_book_snapshot(m); }
    void on_book_level(const BookLevel& m) noexcept override { to.on_book_level(m); }
  };
  InstrumentTable tokens(16);
  const InstrumentId up = tokens.add(kUp);
  PolymarketParser parser(tokens);
  BookSet batched, single;
  batched.prepare_book(up);
  single.prepare_book(up);
  LevelByLevel relay(single);
  std::string frame = R"({"event_type":"book","asset_id":"1111","market":"0xm","bids":[)";
  for (int i = 0; i < 30; ++i) frame += (i ? "," : "") + std::string(R"({"price":"0.)") + std::to_string(10 + i) +
                                        R"(","size":")" + std::to_string(5 + i) + R"(.5"})";
  frame += R"(],"asks":[)";
  for (int i = 0; i < 30; ++i) frame += (i ? "," : "") + std::string(R"({"price":"0.)") + std::to_string(90 - i) +
                                        R"(","size":")" + std::to_string(100 + i) + R"("})";
  frame += R"(],"timestamp":"7","hash":"00"})";
  ASSERT_EQ(parser.parse(frame, 1, batched), ParseStatus::kOk);
  ASSERT_EQ(parser.parse(frame, 1, relay), ParseStatus::kOk);
  const book::Book& a = *batched.book(up);
  const book::Book& b = *single.book(up);
  ASSERT_TRUE(a.valid());
  ASSERT_TRUE(b.valid());
  for (const BookSide side : {BookSide::kBid, BookSide::kAsk}) {
    std::vector<std::pair<std::int64_t, std::int64_t>> la, lb;
    a.for_each_level(side, [&](Price p, Qty q) { la.emplace_back(p.raw, q.raw); return true; });
    b.for_each_level(side, [&](Price p, Qty q) { lb.emplace_back(p.raw, q.raw); return true; });
    EXPECT_EQ(la.size(), 30u);
    EXPECT_EQ(la, lb);
  }
  EXPECT_EQ(batched.counters().levels_applied, 60u);
  EXPECT_EQ(batched.counters().levels_applied, single.counters().levels_applied);

  // A bad level in a side still marks the snapshot bad, as level by level does.
  const std::string off_grid = R"({"event_type":"book","asset_id":"1111","market":"0xm","bids":[{"price":"0.10005",)"
                               R"("size":"1"}],"asks":[{"price":"0.9","size":"1"}],"timestamp":"8","hash":"00"})";
  ASSERT_EQ(parser.parse(off_grid, 1, batched), ParseStatus::kOk);
  EXPECT_FALSE(batched.book(up)->valid());
}

}  // namespace
}  // namespace polybot::feed
