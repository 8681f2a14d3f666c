#include "feed/parse/polymarket_parser.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "test_util.hpp"

namespace polybot::feed {
namespace {

using test::data_path;
using test::read_text;
using test::RecordingSink;

constexpr const char* kPm = "polymarket/";

struct Fixture {
  InstrumentTable tokens{1024};
  PolymarketParser parser{tokens};
  RecordingSink sink;
  Fixture() { tokens.set_auto_add(true); }
  ParseStatus parse_file(const std::string& name) {
    return parser.parse(read_text(data_path(std::string(kPm) + name)), 42, sink);
  }
};

TEST(PolymarketParser, ParsesACapturedFullDepthBook) {
  Fixture f;
  ASSERT_EQ(f.parse_file("ws_messages__book.json"), ParseStatus::kOk);
  ASSERT_EQ(f.sink.snapshots.size(), 2u);
  const BookSnapshot& begin = f.sink.snapshots[0];
  EXPECT_EQ(begin.phase, SnapshotPhase::kBegin);
  EXPECT_EQ(f.sink.snapshots[1].phase, SnapshotPhase::kEnd);
  EXPECT_EQ(begin.hdr.ts_exch, 1728799418260LL * 1'000'000);
  EXPECT_EQ(begin.hdr.ts_recv, 42);
  EXPECT_EQ(begin.hash_prefix, 0x655a38d4977427b0ull);  // the first 16 hex digits of the hash
  EXPECT_EQ(f.sink.levels.size(), begin.bid_levels + begin.ask_levels);
  EXPECT_GT(begin.bid_levels, 10u);
  EXPECT_EQ(f.tokens.key_of(begin.hdr.instrument),
            "48331043336612883890938759509493159234755048973500640148014422747788308965732");
  // Asks are listed descending in the capture: the first is 0.999 x 10500100.
  const BookLevel& first_ask = f.sink.levels[begin.bid_levels];
  EXPECT_EQ(first_ask.side, BookSide::kAsk);
  EXPECT_EQ(first_ask.price, *Price::parse("0.999"));
  EXPECT_EQ(first_ask.size, *Qty::parse("10500100"));
  for (const auto& l : f.sink.levels) EXPECT_NE(l.hdr.flags & msg_flag::kSnapshot, 0);
}

TEST(PolymarketParser, ParsesTheIllustrativeBookWithTrailingZeros) {
  Fixture f;
  ASSERT_EQ(f.parse_file("crates_test_data__ws_market_book_msg.json"), ParseStatus::kOk);
  ASSERT_EQ(f.sink.levels.size(), 4u);
  EXPECT_EQ(f.sink.levels[0].price, *Price::parse("0.5"));
  EXPECT_EQ(f.sink.levels[0].size, *Qty::parse("200"));
  EXPECT_EQ(f.sink.snapshots[0].hash_prefix, 0u);  // no hash in this message
}

TEST(PolymarketParser, ParsesTheBatchedPriceChangeShape) {
  Fixture f;
  ASSERT_EQ(f.parse_file("ws_messages__price_change_v2.json"), ParseStatus::kOk);
  ASSERT_EQ(f.sink.levels.size(), 3u);
  const BookLevel& l = f.sink.levels[1];
  EXPECT_EQ(l.price, *Price::parse("0.5"));
  EXPECT_EQ(l.size, *Qty::parse("3400"));
  EXPECT_EQ(l.side, BookSide::kBid);
  EXPECT_EQ(l.has_top, 1);
  EXPECT_EQ(l.msg_best_bid, *Price::parse("0.6"));
  EXPECT_EQ(l.msg_best_ask, *Price::parse("0.7"));
  EXPECT_EQ(l.hdr.ts_exch, 1729084877448LL * 1'000'000);
  EXPECT_EQ(f.sink.levels[2].hdr.flags & msg_flag::kLast, msg_flag::kLast);
  EXPECT_EQ(f.sink.levels[0].hdr.flags & msg_flag::kLast, 0);
  EXPECT_EQ(f.sink.levels[0].hdr.flags & msg_flag::kSnapshot, 0);
}

TEST(PolymarketParser, ParsesTheIllustrativePriceChange) {
  Fixture f;
  ASSERT_EQ(f.parse_file("crates_test_data__ws_market_price_change_msg.json"), ParseStatus::kOk);
  ASSERT_EQ(f.sink.levels.size(), 1u);
  EXPECT_EQ(f.sink.levels[0].size, *Qty::parse("150"));
}

TEST(PolymarketParser, ParsesBothLegacyPriceChangeShapes) {
  Fixture f;
  const std::string changes =
      R"({"event_type":"price_change","asset_id":"11","market":"0xm","hash":"ab","timestamp":"1700000000000",)"
      R"("changes":[{"price":"0.4","side":"SELL","size":"10"},{"price":"0.39","side":"BUY","size":"0"}]})";
  ASSERT_EQ(f.parser.parse(changes, 1, f.sink), ParseStatus::kOk);
  ASSERT_EQ(f.sink.levels.size(), 2u);
  EXPECT_EQ(f.sink.levels[0].side, BookSide::kAsk);
  EXPECT_EQ(f.sink.levels[0].has_top, 0);
  EXPECT_EQ(f.sink.levels[1].size, Qty{});
  EXPECT_EQ(f.tokens.key_of(f.sink.levels[1].hdr.instrument), "11");
  const std::string flat =
      R"({"event_type":"price_change","asset_id":"12","price":"0.41","side":"BUY","size":"5","timestamp":"1"})";
  ASSERT_EQ(f.parser.parse(flat, 1, f.sink), ParseStatus::kOk);
  ASSERT_EQ(f.sink.levels.size(), 3u);
  EXPECT_EQ(f.sink.levels[2].price, *Price::parse("0.41"));
  EXPECT_EQ(f.tokens.key_of(f.sink.levels[2].hdr.instrument), "12");
}

TEST(PolymarketParser, ParsesLastTradePrice) {
  Fixture f;
  ASSERT_EQ(f.parse_file("ws_messages__last_trade_price.json"), ParseStatus::kOk);
  ASSERT_EQ(f.sink.trades.size(), 1u);
  const Trade& t = f.sink.trades[0];
  EXPECT_EQ(t.price_raw, Price::parse("0.491")->raw);
  EXPECT_EQ(t.size_raw, Qty::parse("85.36")->raw);
  EXPECT_EQ(t.aggressor, Side::kSell);
  EXPECT_EQ(t.venue, Venue::kPolymarket);
  Fixture g;
  ASSERT_EQ(g.parse_file("crates_test_data__ws_market_last_trade_msg.json"), ParseStatus::kOk);
  EXPECT_EQ(g.sink.trades.at(0).aggressor, Side::kBuy);
}

TEST(PolymarketParser, ParsesTickSizeChanges) {
  Fixture f;
  ASSERT_EQ(f.parse_file("ws_messages__tick_size_change.json"), ParseStatus::kOk);
  ASSERT_EQ(f.sink.ticks.size(), 1u);
  EXPECT_EQ(f.sink.ticks[0].old_tick, *Price::parse("0.01"));
  EXPECT_EQ(f.sink.ticks[0].new_tick, *Price::parse("0.001"));
  ASSERT_EQ(f.parse_file("crates_test_data__ws_market_tick_size_msg.json"), ParseStatus::kOk);
  EXPECT_EQ(f.sink.ticks[1].old_tick, *Price::parse("0.1"));
}

TEST(PolymarketParser, ParsesBestBidAsk) {
  Fixture f;
  ASSERT_EQ(f.parse_file("crates_test_data__ws_market_best_bid_ask_msg.json"), ParseStatus::kOk);
  ASSERT_EQ(f.sink.quotes.size(), 1u);
  EXPECT_EQ(f.sink.quotes[0].bid, *Price::parse("0.73"));
  EXPECT_EQ(f.sink.quotes[0].ask, *Price::parse("0.77"));
  EXPECT_EQ(f.sink.quotes[0].ts_exch_ns, 1766789469958LL * 1'000'000);
}

TEST(PolymarketParser, ParsesNewMarketAndMarketResolved) {
  Fixture f;
  ASSERT_EQ(f.parse_file("crates_test_data__ws_market_new_market_msg.json"), ParseStatus::kOk);
  ASSERT_EQ(f.sink.statuses.size(), 1u);
  EXPECT_EQ(f.sink.statuses[0].kind, MarketStatusKind::kNew);
  EXPECT_EQ(f.sink.slugs[0], "nvda-above-240-on-january-30-2026");
  EXPECT_EQ(f.sink.tokens0[0], "76043073756653678226373981964075571318267289248134717369284518995922789326425");
  const std::string resolved =
      R"({"event_type":"market_resolved","id":"1031769","market":"0xabc","assets_ids":["111","222"],)"
      R"("winning_asset_id":"222","winning_outcome":"Down","timestamp":"1766790415550","tags":["crypto"]})";
  ASSERT_EQ(f.parser.parse(resolved, 1, f.sink), ParseStatus::kOk);
  ASSERT_EQ(f.sink.statuses.size(), 2u);
  EXPECT_EQ(f.sink.statuses[1].kind, MarketStatusKind::kResolved);
  EXPECT_EQ(f.sink.statuses[1].winner, 2);
  EXPECT_EQ(f.sink.winners[1], "222");
}

TEST(PolymarketParser, ParsesTheRestBookAndChecksTheHashRule) {
  // The official client's vector (docs §10.6): this rendering hashes to 0458ea57...
  const std::string vec =
      R"({"market":"0xaabbcc","asset_id":"100","timestamp":"123456789","hash":"0458ea5755c9f73d64a14636fa5c36ed460ec394",)"
      R"("bids":[{"price":"0.3","size":"100"},{"price":"0.4","size":"100"}],)"
      R"("asks":[{"price":"0.6","size":"100"},{"price":"0.7","size":"100"}],)"
      R"("min_order_size":"100","tick_size":"0.01","neg_risk":false,"last_trade_price":"0.5"})";
  Fixture f;
  ASSERT_EQ(f.parser.parse_rest_book(vec, 1, f.sink, HashCheckMode::kDiagnostic), ParseStatus::kOk);
  ASSERT_EQ(f.sink.snapshots.size(), 2u);
  EXPECT_EQ(f.sink.snapshots[0].from_rest, 1);
  EXPECT_EQ(f.sink.snapshots[1].hash_check, 1);  // matched
  std::string tampered = vec;
  tampered.replace(tampered.find("\"0.7\""), 5, "\"0.8\"");
  ASSERT_EQ(f.parser.parse_rest_book(tampered, 1, f.sink, HashCheckMode::kDiagnostic), ParseStatus::kOk);
  EXPECT_EQ(f.sink.snapshots[3].hash_check, 2);  // mismatched
  ASSERT_EQ(f.parser.parse_rest_book(vec, 1, f.sink, HashCheckMode::kOff), ParseStatus::kOk);
  EXPECT_EQ(f.sink.snapshots[5].hash_check, 0);  // not checked
  EXPECT_EQ(polymarket_book_hash(R"({"market":"0xaabbcc","asset_id":"100","timestamp":"","hash":"","bids":[],)"
                                 R"("asks":[],"min_order_size":"100","tick_size":"0.01","neg_risk":false,)"
                                 R"("last_trade_price":"0.5"})"),
            "74c6a7c81c1d572f1c877b7d3e25b80c336d8a6e");
}

TEST(PolymarketParser, ParsesTheCapturedRestBook) {
  Fixture f;
  ASSERT_EQ(f.parser.parse_rest_book(read_text(data_path("polymarket/http_responses__book.json")), 1, f.sink),
            ParseStatus::kOk);
  ASSERT_EQ(f.sink.snapshots.size(), 2u);
  EXPECT_EQ(f.sink.snapshots[0].bid_levels, 5u);
  EXPECT_EQ(f.sink.snapshots[0].ask_levels, 7u);
  // The 2024 capture lacks the metadata fields the rule needs: it does not reproduce (docs/UNVERIFIED.md).
  EXPECT_EQ(f.sink.snapshots[1].hash_check, 2);
}

TEST(PolymarketParser, IgnoresUserChannelAndNonJsonFrames) {
  Fixture f;
  EXPECT_EQ(f.parse_file("ws_messages__order_placement.json"), ParseStatus::kIgnored);
  EXPECT_EQ(f.parse_file("ws_messages__user_trade1.json"), ParseStatus::kIgnored);
  EXPECT_EQ(f.parse_file("ws_messages__user_trade2.json"), ParseStatus::kIgnored);
  EXPECT_EQ(f.parser.parse("PONG", 1, f.sink), ParseStatus::kIgnored);
  EXPECT_EQ(f.parser.parse("NO NEW ASSETS", 1, f.sink), ParseStatus::kIgnored);
  EXPECT_EQ(f.parser.parse("", 1, f.sink), ParseStatus::kIgnored);
  EXPECT_EQ(f.sink.total(), 0u);
}

TEST(PolymarketParser, ParsesAnArrayFrameOfBooks) {
  Fixture f;
  const std::string frame =
      R"([{"event_type":"book","asset_id":"1","market":"0x","bids":[{"price":"0.4","size":"1"}],"asks":[],"timestamp":"5","hash":"x"},)"
      R"({"event_type":"book","asset_id":"2","market":"0x","bids":[],"asks":[{"price":"0.6","size":"2"}],"timestamp":"5","hash":"y"}])";
  ASSERT_EQ(f.parser.parse(frame, 1, f.sink), ParseStatus::kOk);
  EXPECT_EQ(f.sink.snapshots.size(), 4u);
  EXPECT_EQ(f.sink.levels.size(), 2u);
}

TEST(PolymarketParser, MalformedEventsEmitNothingAndAreCounted) {
  Fixture f;
  const char* bad[] = {
      R"({"event_type":"price_change","market":"0x","timestamp":"1","price_changes":[{"asset_id":"1","price":"0.5x","size":"1","side":"BUY"}]})",
      R"({"event_type":"price_change","market":"0x","timestamp":"1","price_changes":[{"asset_id":"1","price":"0.5","size":"1","side":"HOLD"}]})",
      R"({"event_type":"book","asset_id":"1","bids":[{"price":"0.5"}],"asks":[],"timestamp":"1"})",
      R"({"event_type":"book","asset_id":"1","bids":[{"price":"0.5","size":"1"}],"asks":[],"timestamp":"1")",
      R"({"event_type":"last_trade_price","asset_id":"1","price":"-0.5","size":"1","side":"BUY","timestamp":"1"})",
      R"({"event_type":"book","asset_id":"1","bids":[{"price":"0.5","size":"1"}],"asks":[]})",
      R"([1,2,3])",
      R"({"event_type":"price_change","market":"0x","timestamp":"abc","price_changes":[]})",
  };
  for (const char* frame : bad) {
    const ParseStatus st = f.parser.parse(frame, 1, f.sink);
    EXPECT_NE(st, ParseStatus::kOk) << frame;
    EXPECT_NE(st, ParseStatus::kIgnored) << frame;
  }
  EXPECT_EQ(f.sink.total(), 0u);
  EXPECT_EQ(f.parser.stats().total_errors(), std::size(bad));
}

TEST(PolymarketParser, UnknownTokensAreSkippedWhenNotAutoRegistering) {
  InstrumentTable tokens(16);
  const InstrumentId known = tokens.add("7");
  PolymarketParser parser(tokens);
  RecordingSink sink;
  const std::string frame =
      R"({"event_type":"price_change","market":"0x","timestamp":"1","price_changes":[)"
      R"({"asset_id":"7","price":"0.5","size":"1","side":"BUY","best_bid":"0.5","best_ask":"0.6"},)"
      R"({"asset_id":"8","price":"0.5","size":"1","side":"BUY","best_bid":"0.5","best_ask":"0.6"}]})";
  EXPECT_EQ(parser.parse(frame, 1, sink), ParseStatus::kOk);
  ASSERT_EQ(sink.levels.size(), 1u);
  EXPECT_EQ(sink.levels[0].hdr.instrument, known);
  EXPECT_EQ(parser.parse(R"({"event_type":"tick_size_change","asset_id":"9","new_tick_size":"0.01","timestamp":"1"})", 1,
                         sink),
            ParseStatus::kUnknownInstrument);
}

// The sessions hand frames over in place (the WebSocket client guarantees kFramePadding readable bytes after each
// one); that entry must read every fixture exactly as the copying one does, whatever the bytes after the frame.
TEST(PolymarketParser, InPlaceParsingReadsEveryFixtureLikeTheCopyingEntry) {
  const char* files[] = {"ws_messages__book.json",
                         "ws_messages__price_change_v2.json",
                         "ws_messages__last_trade_price.json",
                         "ws_messages__tick_size_change.json",
                         "crates_test_data__ws_market_book_msg.json",
                         "crates_test_data__ws_market_price_change_msg.json",
                         "crates_test_data__ws_market_best_bid_ask_msg.json",
                         "crates_test_data__ws_market_new_market_msg.json",
                         "crates_test_data__ws_market_last_trade_msg.json",
                         "crates_test_data__ws_market_tick_size_msg.json"};
  for (const char* f : files) {
    const std::string text = read_text(data_path(std::string(kPm) + f));
    for (const char filler : {'\0', ' ', '}', '"'}) {
      Fixture copy, in_place;
      const std::string padded = text + std::string(64, filler);
      const ParseStatus a = copy.parser.parse(text, 42, copy.sink);
      const ParseStatus b = in_place.parser.parse_in_place(std::string_view(padded.data(), text.size()), 64, 42,
                                                           in_place.sink);
      ASSERT_EQ(a, b) << f;
      ASSERT_EQ(copy.sink.levels.size(), in_place.sink.levels.size()) << f;
      for (std::size_t i = 0; i < copy.sink.levels.size(); ++i) {
        EXPECT_EQ(copy.sink.levels[i].price, in_place.sink.levels[i].price) << f;
        EXPECT_EQ(copy.sink.levels[i].size, in_place.sink.levels[i].size) << f;
        EXPECT_EQ(copy.sink.levels[i].side, in_place.sink.levels[i].side) << f;
        EXPECT_EQ(copy.sink.levels[i].hdr.ts_exch, in_place.sink.levels[i].hdr.ts_exch) << f;
      }
      EXPECT_EQ(copy.sink.snapshots.size(), in_place.sink.snapshots.size()) << f;
      EXPECT_EQ(copy.sink.trades.size(), in_place.sink.trades.size()) << f;
      EXPECT_EQ(copy.sink.quotes.size(), in_place.sink.quotes.size()) << f;
      EXPECT_EQ(copy.sink.statuses.size(), in_place.sink.statuses.size()) << f;
    }
  }
}

// Too little room after the frame for simdjson's padding: the in-place entry falls back to the padded copy.
TEST(PolymarketParser, InPlaceParsingCopiesWhenThePaddingIsShort) {
  Fixture fx;
  const std::string text = read_text(data_path(std::string(kPm) + "ws_messages__price_change_v2.json"));
  EXPECT_EQ(fx.parser.parse_in_place(text, 0, 42, fx.sink), ParseStatus::kOk);
  EXPECT_EQ(fx.sink.levels.size(), 3u);
}

// A timestamp no nanosecond clock can hold (found by the fuzzer as a signed overflow) is a bad number, not a time.
TEST(PolymarketParser, AnImpossibleTimestampIsABadNumber) {
  Fixture fx;
  fx.tokens.add("1");
  const std::string frame = R"({"event_type":"price_change","timestamp":"17001000000000","price_changes":[)"
                            R"({"asset_id":"1","price":"0.5","size":"1","side":"BUY"}]})";
  EXPECT_EQ(fx.parser.parse(frame, 42, fx.sink), ParseStatus::kBadNumber);
  EXPECT_TRUE(fx.sink.levels.empty());
  const std::string sane = R"({"event_type":"price_change","timestamp":"1729084877448","price_changes":[)"
                           R"({"asset_id":"1","price":"0.5","size":"1","side":"BUY"}]})";
  EXPECT_EQ(fx.parser.parse(sane, 42, fx.sink), ParseStatus::kOk);
  ASSERT_EQ(fx.sink.levels.size(), 1u);
  EXPECT_EQ(fx.sink.levels[0].hdr.ts_exch, 1729084877448LL * 1000000);
}

// Strings are kept raw and decoded only where a message uses them: escaped token ids, event names and market
// details must still read as their decoded text, and an undecodable token id is malformed with nothing emitted.
TEST(PolymarketParser, EscapedStringsAreDecodedWhereTheyAreUsed) {
  InstrumentTable tokens(16);
  const InstrumentId seven = tokens.add("77");
  PolymarketParser parser(tokens);
  RecordingSink sink;
  // "7\u0037" is "77"; the second entry names the same token plainly (the recent-token cache must agree).
  const std::string frame =
      R"({"event_type":"price\u005fchange","market":"0x\u0041b","timestamp":"1","price_changes":[)"
      R"({"asset_id":"7\u0037","price":"0.5","size":"1","side":"BUY","best_bid":"0.5","best_ask":"0.6"},)"
      R"({"asset_id":"77","price":"0.4","size":"2","side":"B\u0055Y","best_bid":"0.5","best_ask":"0.6"}]})";
  ASSERT_EQ(parser.parse(frame, 1, sink), ParseStatus::kOk);
  ASSERT_EQ(sink.levels.size(), 2u);
  EXPECT_EQ(sink.levels[0].hdr.instrument, seven);
  EXPECT_EQ(sink.levels[1].hdr.instrument, seven);
  EXPECT_EQ(sink.levels[1].side, BookSide::kBid);
  EXPECT_EQ(parser.stats().ok[static_cast<std::size_t>(FrameKind::kPriceChange)], 1u);

  // A book whose token id and hash are escaped.
  const std::string book =
      R"({"event_type":"book","asset_id":"\u00377","market":"0x","bids":[{"price":"0.5","size":"1"}],)"
      R"("asks":[],"timestamp":"2","hash":"\u0030123456789abcdef00"})";
  ASSERT_EQ(parser.parse(book, 1, sink), ParseStatus::kOk);
  ASSERT_EQ(sink.snapshots.size(), 2u);
  EXPECT_EQ(sink.snapshots[0].hdr.instrument, seven);
  EXPECT_EQ(sink.snapshots[0].hash_prefix, 0x0123456789abcdefull);

  // new_market: slug, condition id and winner decoded for the sink.
  const std::string resolved =
      R"({"event_type":"market_resolved","market":"0xabc","slug":"btc\u002dupdown","assets_ids":["111","222"],)"
      R"("winning_asset_id":"2\u00322","timestamp":"1"})";
  ASSERT_EQ(parser.parse(resolved, 1, sink), ParseStatus::kOk);
  ASSERT_EQ(sink.statuses.size(), 1u);
  EXPECT_EQ(sink.slugs[0], "btc-updown");
  EXPECT_EQ(sink.winners[0], "222");
  EXPECT_EQ(sink.statuses[0].winner, 2);

  // A token id that cannot be decoded: malformed, and the good entry before it is not emitted either.
  const std::size_t before = sink.levels.size();
  const std::string bad =
      R"({"event_type":"price_change","market":"0x","timestamp":"3","price_changes":[)"
      R"({"asset_id":"77","price":"0.5","size":"1","side":"BUY","best_bid":"0.5","best_ask":"0.6"},)"
      R"({"asset_id":"7\q","price":"0.5","size":"1","side":"BUY","best_bid":"0.5","best_ask":"0.6"}]})";
  EXPECT_EQ(parser.parse(bad, 1, sink), ParseStatus::kMalformed);
  EXPECT_EQ(sink.levels.size(), before);
  // A field the event does not use (price_change's `market`) is not decoded, so a bad escape there is harmless.
  const std::string unused =
      R"({"event_type":"price_change","market":"0x\q","timestamp":"4","price_changes":[)"
      R"({"asset_id":"77","price":"0.5","size":"1","side":"BUY","best_bid":"0.5","best_ask":"0.6"}]})";
  EXPECT_EQ(parser.parse(unused, 1, sink), ParseStatus::kOk);
  EXPECT_EQ(sink.levels.size(), before + 1);
}

// A lone price_change object of the usual shape is read by a flat fast path; anything else by the general reader.
// With an extra leading key the same event always takes the general reader, so both must give the same status and
// levels,
// for the usual shape and for every variation of it (key order, extra or repeated keys, missing fields, escapes,
// numbers, bad values) and for random mutations of it.
TEST(PolymarketParser, TheFastPriceChangeReaderAgreesWithTheGeneralReader) {
  InstrumentTable tokens(16);
  tokens.add("77");
  tokens.add("88");
  PolymarketParser parser(tokens);
  const auto run = [&](const std::string& frame, std::vector<BookLevel>& out) {
    RecordingSink sink;
    const ParseStatus st = parser.parse(frame, 5, sink);
    out = sink.levels;
    return st;
  };
  const auto same = [](const std::vector<BookLevel>& a, const std::vector<BookLevel>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (std::memcmp(&a[i], &b[i], sizeof(BookLevel)) != 0) return false;
    }
    return true;
  };
  const std::string entry1 = R"({"asset_id":"77","price":"0.6","size":"3300","side":"BUY","hash":"ab","best_bid":"0.6","best_ask":"0.7"})";
  const std::string entry2 = R"({"asset_id":"88","price":"0.45","side":"SELL","size":"12.5","best_bid":"0.4","best_ask":"0.45"})";
  std::vector<std::string> frames = {
      R"({"event_type":"price_change","market":"0xm","timestamp":"1729084877448","price_changes":[)" + entry1 + "," + entry2 + "]}",
      R"({"market":"0xm","price_changes":[)" + entry1 + R"(],"event_type":"price_change","timestamp":"1729084877448"})",
      R"({"event_type":"price_change","timestamp":1729084877448,"price_changes":[)" + entry2 + "]}",
      R"({"event_type":"price_change","timestamp":"1","price_changes":[]})",
      R"({"event_type":"price_change","timestamp":"1","timestamp":"2","price_changes":[)" + entry1 + "]}",
      R"({"event_type":"price_change","timestamp":"1","price_changes":[)" + entry1 + R"(],"price_changes":[)" + entry2 + "]}",
      R"({"event_type":"price_change","timestamp":"1","asset_id":"88","price_changes":[{"price":"0.5","size":"1","side":"BUY"}]})",
      R"({"event_type":"price_change","timestamp":"1","extra":{"a":[1,2]},"price_changes":[)" + entry1 + "]}",
      R"({"event_type":"book","timestamp":"1","price_changes":[)" + entry1 + "]}",
      R"({"timestamp":"1","price_changes":[)" + entry1 + "]}",
      R"({"event_type":"price_change","price_changes":[)" + entry1 + "]}",
      R"({"event_type":"price_change","timestamp":"1","price_changes":[{"asset_id":"77","price":"0.6","side":"BUY"}]})",
      R"({"event_type":"price_change","timestamp":"1","price_changes":[{"asset_id":"77","price":"0.6","size":"1","side":"HOLD"}]})",
      R"({"event_type":"price_change","timestamp":"1","price_changes":[{"asset_id":"77","price":"0.6x","size":"1","side":"BUY"}]})",
      R"({"event_type":"price_change","timestamp":"1","price_changes":[{"asset_id":"99","price":"0.6","size":"1","side":"BUY"}]})",
      R"({"event_type":"price_change","timestamp":"1","price_changes":[{"asset_id":"","price":"0.6","size":"1","side":"BUY"}]})",
      R"({"event_type":"price_change","timestamp":"1","price_changes":[{"asset_id":"7\u0037","price":"0.\u0036","size":1,"side":"sell","best_bid":0.5}]})",
      R"({"event_type":"price_change","timestamp":"abc","price_changes":[)" + entry1 + "]}",
      R"({"event_type":"price_change","timestamp":"99999999999999999","price_changes":[)" + entry1 + "]}",
      R"({"event_type":"price_change","timestamp":"1","price_changes":[{"asset_id":"77","price":"-0.6","size":"1","side":"BUY"}]})",
      R"({"event_type":"price_change","timestamp":"1","price_changes":{"asset_id":"77"}})",
      R"({"event_type":"price_change","timestamp":"1","price_changes":[1,2]})",
      // Found by the differential fuzzer: a value that is not JSON (d0) in a field the fast reader skips.
      R"({"event_type":"price_change","market":d0"dx22","price_changes":[)" + entry1 + R"(],"timestamp":"1"})",
  };
  std::mt19937_64 rng(99);
  const std::string base = frames[0];
  const std::string noise = "{}[]\",:0123456789.-\\ abu";
  test::append_mutations(frames, base, 3000, noise, rng);
  for (const std::string& frame : frames) {
    if (frame.empty() || frame[0] != '{') continue;  // not an object (ignored or malformed either way)
    std::vector<BookLevel> fast, general;
    const ParseStatus a = run(frame, fast);
    // A leading key the general reader ignores and the fast path does not expect.
    const ParseStatus b = run(R"({"zz":0,)" + frame.substr(1), general);
    ASSERT_EQ(a, b) << frame;
    ASSERT_TRUE(same(fast, general)) << frame;
  }
}

}  // namespace
}  // namespace polybot::feed
