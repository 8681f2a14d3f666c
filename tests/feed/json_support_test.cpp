// The parsers' fast readers must accept exactly what core's checked parse_decimal accepts, with the same values,
// and must read keys and strings the same way whatever whitespace or escapes the JSON uses.
#include "feed/parse/json_support.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

#include "feed/parse/polymarket_parser.hpp"
#include "test_util.hpp"

namespace polybot::feed {
namespace {

void expect_same_as_parse_decimal(const std::string& text, int decimals, bool allow_negative) {
  std::int64_t fast = 0;
  const bool ok = detail::parse_fixed(text, decimals, allow_negative, fast);
  const auto checked = parse_decimal(text, decimals, allow_negative);
  ASSERT_EQ(ok, checked.has_value()) << '"' << text << "\" decimals " << decimals << " neg " << allow_negative;
  if (ok) {
    ASSERT_EQ(fast, *checked) << '"' << text << "\" decimals " << decimals;
  }
}

TEST(ParseFixed, AgreesWithParseDecimalOnEdgeCases) {
  const char* cases[] = {"", "0", "-0", "+0", "0.", ".5", ".", "-", "+", "-.", "5.", "0.6", "3300", "0.000001",
                         "0.0000001", "0.00000010", "1.000000000000", "61837.63000000", "3.78826000",
                         "1729084877448", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                         "-9223372036854775809", "922337203685.4775807", "922337203685.477581",
                         "000000000000000000000000001", "99999999999999999999", "18446744073709551616",
                         "1e5", "1.5e3", "0x10", " 1", "1 ", "1.2.3", "--1", "+-1", "1-", "0.5\\", "\\u0030",
                         "12345678901234567", "123456789012.345678", "1234567890123.456789"};
  for (const char* c : cases) {
    for (int decimals : {0, 2, 6, 8, 18}) {
      for (bool neg : {false, true}) expect_same_as_parse_decimal(c, decimals, neg);
    }
  }
}

TEST(ParseFixed, AgreesWithParseDecimalOnRandomTexts) {
  std::mt19937_64 rng(20261122);
  const std::string alphabet = "0123456789000999..-+ e";
  for (int i = 0; i < 100000; ++i) {
    std::string s;
    const std::size_t len = rng() % 24;
    for (std::size_t k = 0; k < len; ++k) {
      // Mostly digits, so that many texts are valid and long enough to hit the overflow edges.
      s += (rng() % 4 == 0) ? alphabet[rng() % alphabet.size()] : static_cast<char>('0' + rng() % 10);
    }
    const int decimals = static_cast<int>(rng() % 10);
    expect_same_as_parse_decimal(s, decimals, (rng() & 1) != 0);
    if (HasFatalFailure()) return;
  }
}

// The in-buffer variant reads 8 digits at a time and relies on a non-digit after the text, as inside a padded
// frame: check it against parse_decimal with the terminator and padding a frame gives it.
TEST(ParseFixed, InBufferVariantAgreesWithParseDecimal) {
  std::mt19937_64 rng(7);
  const std::string alphabet = "0123456789.-+e";
  for (int i = 0; i < 100000; ++i) {
    std::string s;
    const std::size_t len = rng() % 30;
    for (std::size_t k = 0; k < len; ++k) {
      s += (rng() % 6 == 0) ? alphabet[rng() % alphabet.size()] : static_cast<char>('0' + rng() % 10);
    }
    const int decimals = static_cast<int>(rng() % 13);
    const bool neg = (rng() & 1) != 0;
    const std::string buf = s + "\"" + std::string(64, '\0');
    std::int64_t fast = 0;
    const bool ok = detail::parse_fixed_impl<true>(std::string_view(buf.data(), s.size()), decimals, neg, fast);
    const auto checked = parse_decimal(s, decimals, neg);
    ASSERT_EQ(ok, checked.has_value()) << '"' << s << "\" decimals " << decimals;
    if (ok) {
      ASSERT_EQ(fast, *checked) << '"' << s << "\" decimals " << decimals;
    }
  }
}

struct CapturingSink : MarketSink {
  std::vector<BookLevel> levels;
  void on_book_level(const BookLevel& m) noexcept override { levels.push_back(m); }
};

constexpr const char* kToken = "52114319501245915516055106046884209969926127482827954674443846427813813222426";

TEST(PolymarketParserReaders, WhitespaceEscapesAndNumberTokensReadLikeCompactStrings) {
  InstrumentTable tokens(8);
  tokens.add(kToken);
  PolymarketParser parser(tokens);
  const std::string compact = std::string(R"({"event_type":"price_change","timestamp":"1729084877448","price_changes":[{"asset_id":")") +
                              kToken + R"(","price":"0.6","size":"3300","side":"BUY","best_bid":"0.6","best_ask":"0.7"}]})";
  // Spaces around every key and colon, escaped characters in a decimal and in the side, numbers instead of strings.
  const std::string spaced = std::string("{ \"event_type\" :\t\"price_change\" ,\n \"timestamp\" : 1729084877448 , "
                                         "\"price_changes\" : [ { \"asset_id\" : \"") +
                             kToken + "\" , \"price\" : \"0.\\u0036\" , \"size\" : 3300.000 , \"side\" : \"B\\u0055Y\" ,"
                                      " \"best_bid\" : 0.6 , \"best_ask\" : \"0.70\" } ] }";
  CapturingSink a, b;
  ASSERT_EQ(parser.parse(compact, 1, a), ParseStatus::kOk);
  ASSERT_EQ(parser.parse(spaced, 1, b), ParseStatus::kOk);
  ASSERT_EQ(a.levels.size(), 1u);
  ASSERT_EQ(b.levels.size(), 1u);
  EXPECT_EQ(a.levels[0].price, b.levels[0].price);
  EXPECT_EQ(a.levels[0].size, b.levels[0].size);
  EXPECT_EQ(a.levels[0].side, b.levels[0].side);
  EXPECT_EQ(a.levels[0].msg_best_bid, b.levels[0].msg_best_bid);
  EXPECT_EQ(a.levels[0].msg_best_ask, b.levels[0].msg_best_ask);
  EXPECT_EQ(a.levels[0].hdr.ts_exch, b.levels[0].hdr.ts_exch);
  EXPECT_EQ(b.levels[0].size, *Qty::parse("3300"));
  EXPECT_EQ(b.levels[0].hdr.instrument, tokens.find(kToken));
}

TEST(PolymarketParserReaders, DecimalStringsInAFrameReadExactlyLikeParseDecimal) {
  InstrumentTable tokens(8);
  tokens.add(kToken);
  PolymarketParser parser(tokens);
  const std::string head = std::string(R"({"event_type":"price_change","timestamp":"1729084877448","price_changes":[{"asset_id":")") +
                           kToken + R"(","side":"BUY","price":"0.5","size":)";
  std::mt19937_64 rng(42);
  const std::string alphabet = "0123456789.-+e";
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const std::size_t len = rng() % 22;
    for (std::size_t k = 0; k < len; ++k) {
      s += (rng() % 5 == 0) ? alphabet[rng() % alphabet.size()] : static_cast<char>('0' + rng() % 10);
    }
    const auto expected = parse_decimal(s, Qty::kDecimals, false);
    for (const bool quoted : {true, false}) {
      if (!quoted && s.empty()) continue;
      CapturingSink sink;
      const std::string frame = head + (quoted ? "\"" + s + "\"" : s) + (rng() % 2 ? "}]}" : " } ] }");
      const ParseStatus st = parser.parse(frame, 1, sink);
      // A bare JSON number cannot start with '+' or '.', so those are only decimals inside a string.
      if (expected.has_value() && (quoted || (s[0] != '+' && s[0] != '.'))) {
        ASSERT_EQ(st, ParseStatus::kOk) << frame;
        ASSERT_EQ(sink.levels.size(), 1u);
        ASSERT_EQ(sink.levels[0].size.raw, *expected) << frame;
      } else {
        ASSERT_NE(st, ParseStatus::kOk) << frame;
        ASSERT_TRUE(sink.levels.empty());
      }
    }
  }
}

TEST(PolymarketParserReaders, BadDecimalsAndWrongTypesAreCountedNotParsed) {
  InstrumentTable tokens(8);
  tokens.add(kToken);
  PolymarketParser parser(tokens);
  const std::string head = std::string(R"({"event_type":"price_change","timestamp":"1729084877448","price_changes":[{"asset_id":")") +
                           kToken + R"(","side":"BUY","size":"10","price":)";
  CapturingSink sink;
  for (const char* bad : {R"("0.6x")", R"("0.0000001")", R"("-0.5")", R"("")", "true", "null", "[1]", R"({"a":1})",
                          R"("0.6\"")", "1e2"}) {
    EXPECT_EQ(parser.parse(head + bad + "}]}", 1, sink), ParseStatus::kBadNumber) << bad;
  }
  EXPECT_TRUE(sink.levels.empty());
}

// has_backslash replaces memchr for strings inside a padded frame: same answer for every length and position,
// whatever the bytes after the string.
TEST(JsonSupport, HasBackslashAgreesWithMemchr) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20000; ++i) {
    const std::size_t len = rng() % 100;
    std::string s;
    for (std::size_t k = 0; k < len; ++k) s += (rng() % 40 == 0) ? '\\' : static_cast<char>('0' + rng() % 40);
    const std::string buf = s + std::string(64, (rng() & 1) ? '\\' : '"');  // a backslash right after must not count
    const std::string_view view(buf.data(), len);
    ASSERT_EQ(detail::has_backslash(view), std::memchr(view.data(), '\\', view.size()) != nullptr) << s;
  }
}

TEST(JsonSupport, SameTextAgreesWithStringEquality) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 20000; ++i) {
    std::string a;
    const std::size_t len = rng() % 90;
    for (std::size_t k = 0; k < len; ++k) a += static_cast<char>('0' + rng() % 10);
    std::string b = a;
    if (!b.empty() && rng() % 2) b[rng() % b.size()] ^= 1;  // one differing byte anywhere
    if (rng() % 8 == 0) b += '1';
    ASSERT_EQ(detail::same_text(a, b), a == b) << a << " vs " << b;
  }
}

// A raw key matches only when the letters are followed by its closing quote.
TEST(JsonSupport, RawKeyMatchesTheWholeKeyOnly) {
  const std::string frame = R"({"price":1,"prices":2,"pric":3,"size" :4})" + std::string(64, ' ');
  EXPECT_TRUE(detail::raw_key_is(frame.data() + 2, "price"));
  EXPECT_FALSE(detail::raw_key_is(frame.data() + 12, "price"));
  EXPECT_FALSE(detail::raw_key_is(frame.data() + 23, "price"));
  EXPECT_TRUE(detail::raw_key_is(frame.data() + 32, "size"));
}

// Every key length the compare handles differently (one masked word, two overlapping words, the general loop):
// the exact key matches; a key with any byte changed, one letter longer or one shorter does not.
template <std::size_t N>
void check_raw_key(const char (&lit)[N]) {
  const std::string key(lit, N - 1);
  const auto at = [](const std::string& k) { return "{\"" + k + "\":1}" + std::string(64, ' '); };
  const std::string exact = at(key);
  EXPECT_TRUE(detail::raw_key_is(exact.data() + 2, lit)) << key;
  for (std::size_t i = 0; i < key.size(); ++i) {
    std::string k = key;
    k[i] ^= 0x20;
    const std::string f = at(k);
    EXPECT_FALSE(detail::raw_key_is(f.data() + 2, lit)) << k;
  }
  const std::string longer = at(key + "s"), shorter = at(key.substr(0, key.size() - 1));
  EXPECT_FALSE(detail::raw_key_is(longer.data() + 2, lit)) << key;
  EXPECT_FALSE(detail::raw_key_is(shorter.data() + 2, lit)) << key;
}

// key_is (a text against a literal, fixed-size compares): every size class, each byte changed, other lengths.
template <std::size_t N>
void check_key_is(const char (&lit)[N]) {
  const std::string key(lit, N - 1);
  EXPECT_TRUE(detail::key_is(key, lit)) << key;
  for (std::size_t i = 0; i < key.size(); ++i) {
    std::string k = key;
    k[i] ^= 0x01;
    EXPECT_FALSE(detail::key_is(k, lit)) << k;
  }
  EXPECT_FALSE(detail::key_is(key + "x", lit)) << key;
  if (!key.empty()) {
    EXPECT_FALSE(detail::key_is(key.substr(1), lit)) << key;
  }
}

TEST(JsonSupport, KeyIsAtEveryLength) {
  check_key_is("B");
  check_key_is("BU");
  check_key_is("BUY");
  check_key_is("SELL");
  check_key_is("price");
  check_key_is("market");
  check_key_is("abcdefg");
  check_key_is("asset_id");
  check_key_is("\"price_change\"");
  check_key_is("custom_feature_enabled");
}

TEST(JsonSupport, RawKeyCompareAtEveryLength) {
  check_raw_key("a");
  check_raw_key("side");
  check_raw_key("market");
  check_raw_key("abcdefg");
  check_raw_key("asset_id");
  check_raw_key("timestamp");
  check_raw_key("price_changes");
  check_raw_key("abcdefghijklmno");
  check_raw_key("winning_asset_id");
  check_raw_key("custom_feature_enabled");
}

}  // namespace
}  // namespace polybot::feed
