#include "feed/kline_csv.hpp"

#include <gtest/gtest.h>

#include <string>

namespace polybot::feed {
namespace {

std::string data(const char* name) { return std::string(POLYBOT_SOURCE_DIR) + "/sim/data/klines/" + name; }

TEST(KlineCsv, ReadsTheBinanceTwelveColumnLayoutWithDateTimeStrings) {
  auto rows = read_kline_csv(data("BTCUSDT_1m_2020-12-01_binance12.csv"));
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1441u);
  const auto& r = rows->front();
  EXPECT_EQ(r.open_time_ms, 1606780800000);
  EXPECT_EQ(r.close.to_string(), "19715.93");
  EXPECT_EQ(r.close_time_ms, 1606780859999);
  EXPECT_EQ(r.trades, 1828u);
  EXPECT_TRUE(r.has_taker_buy);
  EXPECT_EQ(r.taker_buy_volume.to_string(), "72.113618");
}

TEST(KlineCsv, ReadsTheOhlcvLayout) {
  auto rows = read_kline_csv(data("BTCUSDT_1m_2025-01_ohlcv.csv"));
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 50'000u);
  EXPECT_EQ(rows->front().open_time_ms, 1735700400000);  // 2025-01-01 03:00:00 UTC
  EXPECT_EQ(rows->front().open.to_string(), "94098.9");
  EXPECT_EQ(rows->front().close_time_ms, 1735700400000 + 59'999);
  for (std::size_t i = 1; i < rows->size(); ++i) ASSERT_EQ((*rows)[i].open_time_ms - (*rows)[i - 1].open_time_ms, 60'000);
}

TEST(KlineCsv, PrefersOpenTimeOverAnExtraTimeColumn) {
  auto rows = read_kline_csv(data("BTCUSDT_1m_2026-07-21_binance13.csv"));
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1000u);
  EXPECT_EQ(rows->front().open_time_ms, 1784615760000);
  EXPECT_EQ(rows->front().trades, 2364u);
}

TEST(KlineCsv, ReadsHeaderlessApiRowsAndEveryTimeForm) {
  const std::string api =
      "1606780800000,19695.87,19720.00,19675.43,19715.93,136.1,1606780859999,2681137.2,1828,72.1,1420672.1,0\n"
      "1606780860,19715.94,19715.94,19644.71,19669.23,150.0,1606780919999,2950177.0,2105,75.9,1492978.5,0\n";
  auto rows = parse_kline_csv(api);
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ((*rows)[1].open_time_ms, 1606780860000);  // epoch seconds
  EXPECT_EQ(*parse_time_ms("2020-12-01T00:00:00Z"), 1606780800000);
  EXPECT_EQ(*parse_time_ms("2020-12-01 02:00:00+02:00"), 1606780800000);
  EXPECT_EQ(*parse_time_ms("2020-11-30T19:00:00-05:00"), 1606780800000);
  EXPECT_EQ(*parse_time_ms("2020-12-01 00:00:00.250"), 1606780800250);
  EXPECT_EQ(*parse_time_ms("1606780800000000"), 1606780800000);  // µs
  EXPECT_FALSE(parse_time_ms("yesterday"));
}

TEST(KlineCsv, FindsColumnsByHeaderNameInAnyOrderWithExtraColumns) {
  const std::string text =
      "close,extra,Open,Low,High,Timestamp,volume\n"
      "101.5,x,100,99,102,2024-01-01 00:00:00,3.5\n";
  auto rows = parse_kline_csv(text);
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ(rows->front().close.to_string(), "101.5");
  EXPECT_EQ(rows->front().high.to_string(), "102");
  EXPECT_EQ(rows->front().open_time_ms, 1704067200000);
}

TEST(KlineCsv, BadRowsNameTheLineColumnAndValue) {
  const std::string text =
      "timestamp,open,high,low,close,volume\n"
      "2024-01-01 00:00:00,100,102,99,101,1\n"
      "2024-01-01 00:01:00,100,10x2,99,101,1\n";
  auto rows = parse_kline_csv(text);
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().line, 3u);
  EXPECT_NE(rows.error().message.find("high"), std::string::npos);
  EXPECT_NE(rows.error().message.find("10x2"), std::string::npos);

  auto unordered = parse_kline_csv("timestamp,open,high,low,close\n2024-01-01 00:01:00,1,1,1,1\n2024-01-01 00:00:00,1,1,1,1\n");
  ASSERT_FALSE(unordered);
  EXPECT_EQ(unordered.error().line, 3u);

  auto no_close = parse_kline_csv("timestamp,open,high,low\n2024-01-01 00:00:00,1,1,1\n");
  ASSERT_FALSE(no_close);
  EXPECT_NE(no_close.error().message.find("close"), std::string::npos);

  auto inconsistent = parse_kline_csv("timestamp,open,high,low,close\n2024-01-01 00:00:00,1,1,2,1\n");
  ASSERT_FALSE(inconsistent);
  EXPECT_EQ(inconsistent.error().line, 2u);
}

}  // namespace
}  // namespace polybot::feed
