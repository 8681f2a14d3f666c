#include "feed/parse/gamma_parser.hpp"

#include <gtest/gtest.h>

#include "feed/capture_reader.hpp"
#include "test_util.hpp"

namespace polybot::feed {
namespace {

using test::data_path;
using test::read_text;

TEST(GammaParser, ParsesTheCapturedBtcUpDownMarket) {
  GammaParser p;
  auto r = p.parse_market(read_text(data_path("polymarket/crates_test_data__gamma_market.json")));
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  const GammaMarket& m = *r;
  EXPECT_EQ(m.slug, "btc-updown-5m-1773307200");
  EXPECT_EQ(m.condition_id, "0x78443f961b9a65869dcb39359de9960165c7e5cbad0904eac7f29cd77872a63b");
  EXPECT_EQ(m.token_ids[0], "104239898038807136052399800151408521467737075933964991162589336683346093173875");
  EXPECT_EQ(m.token_ids[1], "71183960810705820955071415844881728181970340514894896943812046065452395013351");
  EXPECT_EQ(m.outcomes[0], "Up");
  EXPECT_EQ(m.outcomes[1], "Down");
  EXPECT_EQ(m.tick, *Price::parse("0.01"));
  EXPECT_EQ(m.min_order_size, *Qty::parse("5"));
  EXPECT_FALSE(m.neg_risk);
  EXPECT_TRUE(m.tradable());
  EXPECT_EQ(m.start_s, 1773307200);
  EXPECT_EQ(m.end_s, 1773307500);
}

TEST(GammaParser, ParsesEveryMarketOfADayOfBtc5mWindows) {
  auto file = read_capture(data_path("polymarket/BTC-5m-markets-2026-06-08.jsonl.gz"));
  ASSERT_TRUE(file) << file.error();
  GammaParser p;
  simdjson::dom::parser line_parser;
  std::size_t n = 0;
  for (const CaptureFrame& f : split_capture(file->text)) {
    simdjson::dom::element row;
    ASSERT_FALSE(line_parser.parse(f.json.data(), f.json.size()).get(row));
    const std::string raw = simdjson::minify(row["raw"]);
    auto r = p.parse_market(raw);
    ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
    std::string_view slug, tok0, tok1;
    ASSERT_FALSE(row["slug"].get_string().get(slug));
    EXPECT_EQ(r->slug, slug);
    EXPECT_EQ(r->start_s, row["start_sec"].get_int64().value());
    EXPECT_EQ(r->end_s, row["end_sec"].get_int64().value());
    EXPECT_EQ(r->end_s - r->start_s, 300);
    EXPECT_EQ(r->slug, "btc-updown-5m-" + std::to_string(r->start_s));
    simdjson::dom::array ids = row["token_ids"].get_array().value();
    tok0 = ids.at(0).get_string().value();
    tok1 = ids.at(1).get_string().value();
    EXPECT_EQ(r->token_ids[0], tok0);
    EXPECT_EQ(r->token_ids[1], tok1);
    EXPECT_EQ(r->outcomes[0], "Up");
    EXPECT_GT(r->tick.raw, 0);
    EXPECT_TRUE(r->fees.present);
    EXPECT_EQ(r->fees.rate_e6, 70'000);
    EXPECT_EQ(r->fees.exponent, 1);
    ++n;
  }
  EXPECT_EQ(n, 292u);
}

TEST(GammaParser, ParsesEventsAndSearchResponsesAndNamesBadFields) {
  GammaParser p;
  auto closed = p.parse_market(read_text(data_path("polymarket/crates_test_data__gamma_market_closed_binary_accepting_true.json")));
  ASSERT_TRUE(closed) << closed.error().field << ": " << closed.error().message;
  EXPECT_TRUE(closed->closed);
  EXPECT_TRUE(closed->accepting_orders);
  EXPECT_FALSE(closed->tradable());
  auto bad = p.parse_market(R"({"slug":"btc-updown-5m-1","clobTokenIds":"[\"1\"]","outcomes":"[\"Up\",\"Down\"]","endDate":"x"})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "clobTokenIds");
  auto bad_end = p.parse_market(R"({"slug":"btc-updown-5m-1","clobTokenIds":"[\"1\",\"2\"]","outcomes":"[\"Up\",\"Down\"]","endDate":"soon"})");
  ASSERT_FALSE(bad_end);
  EXPECT_EQ(bad_end.error().field, "endDate");
  EXPECT_NE(bad_end.error().message.find("soon"), std::string::npos);
  auto event = p.parse_any(R"({"id":"1","slug":"btc-updown-15m-1773306900","markets":[{"slug":"btc-updown-15m-1773306900","clobTokenIds":"[\"1\",\"2\"]","outcomes":"[\"Up\",\"Down\"]","eventStartTime":"2026-03-12T09:15:00Z","endDate":"2026-03-12T09:30:00Z","orderPriceMinTickSize":0.01,"active":true,"closed":false,"acceptingOrders":true}]})");
  ASSERT_TRUE(event) << event.error().message;
  ASSERT_EQ(event->size(), 1u);
  EXPECT_EQ((*event)[0].end_s - (*event)[0].start_s, 900);
}

TEST(GammaParser, ParsesIsoTimes) {
  std::int64_t s = 0;
  EXPECT_TRUE(parse_iso8601_utc("1970-01-01T00:00:00Z", s));
  EXPECT_EQ(s, 0);
  EXPECT_TRUE(parse_iso8601_utc("2026-03-12T09:20:00Z", s));
  EXPECT_EQ(s, 1773307200);
  EXPECT_TRUE(parse_iso8601_utc("2026-06-08 00:00:16+00", s));
  EXPECT_EQ(s, 1780876816);
  EXPECT_TRUE(parse_iso8601_utc("2026-03-11T09:29:01.328428Z", s));
  EXPECT_FALSE(parse_iso8601_utc("2026-03-12", s));
  EXPECT_FALSE(parse_iso8601_utc("2026-13-12T09:20:00Z", s));
  EXPECT_FALSE(parse_iso8601_utc("2026-03-12T09:20:00+05:00", s));
}

}  // namespace
}  // namespace polybot::feed
