// CoinGecko simple price answers -> RefPrice: the documented shape (protocol notes §15), exact fixed point from
// the number token, truncation past 1e-8, and every malformed shape counted with the field named.
#include <gtest/gtest.h>

#include <string>

#include "core/int128.hpp"
#include "feed/coingecko/coingecko_parser.hpp"

namespace polybot::feed {
namespace {

ParseStatus parse(CoinGeckoParser& p, const std::string& body, RefPrice& out) {
  return p.parse(body, 0, 1'700'000'000'123'000'000, out);  // readable_after 0: the copying path
}

TEST(CoinGeckoParser, ReadsTheDocumentedAnswerExactly) {
  CoinGeckoParser p("bitcoin", "usd");
  RefPrice r;
  ASSERT_EQ(parse(p, R"({"bitcoin":{"usd":67187.34,"last_updated_at":1711356300}})", r), ParseStatus::kOk);
  EXPECT_EQ(r.hdr.type, MsgType::kRefPrice);
  EXPECT_EQ(r.value.raw, 6'718'734'000'000);
  EXPECT_EQ(r.venue, Venue::kCoinGecko);
  EXPECT_EQ(r.feed_ts_ms, 1'711'356'300'000);
  EXPECT_EQ(r.hdr.ts_exch, 1'711'356'300'000'000'000);
  EXPECT_EQ(r.hdr.ts_recv, 1'700'000'000'123'000'000);
  const u128 e18 = (static_cast<u128>(r.value_e18_hi) << 64) | r.value_e18_lo;
  EXPECT_TRUE(e18 == static_cast<u128>(6'718'734'000'000) * 10'000'000'000ull);
  EXPECT_EQ(p.counters().ok, 1u);
}

TEST(CoinGeckoParser, AcceptsIntegersOtherCoinsAndExtraFieldsInAnyOrder) {
  CoinGeckoParser p("bitcoin", "usd");
  RefPrice r;
  ASSERT_EQ(parse(p,
                  R"({"ethereum":{"usd":3000.1},"bitcoin":{"last_updated_at":1711356300,"usd_24h_vol":1.5e10,)"
                  R"("eur":61000.5,"usd":67187}})",
                  r),
            ParseStatus::kOk);
  EXPECT_EQ(r.value.raw, 6'718'700'000'000);
}

TEST(CoinGeckoParser, TruncatesDigitsPastTheEighthDecimalTowardZero) {
  CoinGeckoParser p("bitcoin", "usd");
  RefPrice r;
  ASSERT_EQ(parse(p, R"({"bitcoin":{"usd":67187.123456789987,"last_updated_at":1711356300}})", r), ParseStatus::kOk);
  EXPECT_EQ(r.value.raw, 6'718'712'345'678);
  std::int64_t v = 0;
  EXPECT_TRUE(parse_usd_e8_truncating("0.000000019", v));
  EXPECT_EQ(v, 1);
  EXPECT_FALSE(parse_usd_e8_truncating("1.000000001x", v));
}

TEST(CoinGeckoParser, RefusesEveryMalformedAnswerNamingTheField) {
  struct Case {
    const char* body;
    ParseStatus status;
    const char* names;  // in last_error()
  };
  const Case cases[] = {
      {R"({"status":{"error_code":429,"error_message":"You've exceeded the Rate Limit"}})",
       ParseStatus::kMissingField, "bitcoin"},
      {R"({})", ParseStatus::kMissingField, "bitcoin"},
      {R"({"bitcoin":{}})", ParseStatus::kMissingField, "bitcoin.usd"},
      {R"({"bitcoin":{"usd":67187.34}})", ParseStatus::kMissingField, "bitcoin.last_updated_at"},
      {R"({"bitcoin":{"usd":"67187.34","last_updated_at":1711356300}})", ParseStatus::kBadNumber, "bitcoin.usd"},
      {R"({"bitcoin":{"usd":6.718734e4,"last_updated_at":1711356300}})", ParseStatus::kBadNumber, "6.718734e4"},
      {R"({"bitcoin":{"usd":-5,"last_updated_at":1711356300}})", ParseStatus::kBadNumber, "bitcoin.usd"},
      {R"({"bitcoin":{"usd":0,"last_updated_at":1711356300}})", ParseStatus::kBadNumber, "bitcoin.usd"},
      {R"({"bitcoin":{"usd":99999999999999,"last_updated_at":1711356300}})", ParseStatus::kBadNumber, "bitcoin.usd"},
      {R"({"bitcoin":{"usd":1,"last_updated_at":-3}})", ParseStatus::kBadNumber, "last_updated_at"},
      {R"({"bitcoin":{"usd":1,"last_updated_at":1711356300000}})", ParseStatus::kBadNumber, "1711356300000"},
      {R"({"bitcoin":[67187.34]})", ParseStatus::kMalformed, "bitcoin"},
      {R"([{"bitcoin":{"usd":1}}])", ParseStatus::kMalformed, "body"},
      {R"(<html>rate limited</html>)", ParseStatus::kMalformed, "body"},
      {R"({"bitcoin":{"usd":67187.34,"last_updated_at":1711356300})", ParseStatus::kMalformed, "body"},
  };
  CoinGeckoParser p("bitcoin", "usd");
  for (const Case& c : cases) {
    RefPrice r;
    EXPECT_EQ(parse(p, c.body, r), c.status) << c.body;
    EXPECT_NE(p.last_error().find(c.names), std::string::npos) << c.body << " -> " << p.last_error();
  }
  const auto& n = p.counters();
  EXPECT_EQ(n.ok, 0u);
  EXPECT_EQ(n.missing_field + n.bad_number + n.malformed, std::size(cases));
  // A good answer after all of them still parses: nothing sticky.
  RefPrice r;
  EXPECT_EQ(parse(p, R"({"bitcoin":{"usd":1.5,"last_updated_at":1711356300}})", r), ParseStatus::kOk);
  EXPECT_EQ(r.value.raw, 150'000'000);
}

TEST(CoinGeckoParser, ParsesInPlaceWhenPaddingFollows) {
  CoinGeckoParser p("bitcoin", "usd");
  std::string buf = R"({"bitcoin":{"usd":94098.9,"last_updated_at":1735689600}})";
  const std::size_t n = buf.size();
  buf.append(64, '\0');
  RefPrice r;
  ASSERT_EQ(p.parse(std::string_view(buf.data(), n), 64, 5, r), ParseStatus::kOk);
  EXPECT_EQ(r.value.raw, 9'409'890'000'000);
}

}  // namespace
}  // namespace polybot::feed
