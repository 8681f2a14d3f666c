// The settlement rule end to end on the real 2026-06-08 Polymarket day: every window the Chainlink recording can
// decide is settled exactly as Polymarket did, and the rest stay unsettled instead of being guessed.
#include "sim/backtest/settlement.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "sim/backtest/chainlink_csv.hpp"
#include "sim/backtest/market_list.hpp"

namespace polybot::sim::backtest {
namespace {

const std::string kDir = std::string(POLYBOT_SOURCE_DIR) + "/tests/data/backtest/";

struct RealDay {
  std::vector<MarketWindow> windows;
  std::vector<RefReport> reports;
};

const RealDay& real_day() {
  static const RealDay day = [] {
    RealDay d;
    auto w = read_market_list(kDir + "BTC-5m-markets-2026-06-08.jsonl.gz");
    EXPECT_TRUE(w.has_value()) << (w ? "" : w.error().message);
    if (w) d.windows = std::move(*w);
    auto r = read_chainlink_csv(kDir + "BTCUSD-prices-2026-06-08.csv.gz");
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    if (r) d.reports = std::move(*r);
    return d;
  }();
  return day;
}

TEST(Settlement, RealDaySettlesEveryDecidableWindowExactlyAsPolymarket) {
  const RealDay& day = real_day();
  ASSERT_EQ(day.windows.size(), 292u);
  ASSERT_EQ(day.reports.size(), 84'558u);
  const RefSeries series(day.reports);
  std::map<SettleStatus, int> by_status;
  int agree = 0, disagree = 0;
  for (const auto& w : day.windows) {
    ASSERT_NE(w.venue_outcome, Outcome::kNone) << w.slug << ": every window of the day was resolved";
    const Settlement s = settle(w, series);
    ++by_status[s.status];
    if (s.status == SettleStatus::kSettled) {
      if (s.outcome == w.venue_outcome) ++agree; else ++disagree;
      EXPECT_EQ(s.outcome, w.venue_outcome) << w.slug;
    } else {
      EXPECT_EQ(s.outcome, Outcome::kNone) << w.slug << " must stay unsettled";
    }
  }
  // 280 of 292 are decidable from the recording; all 280 agree with Polymarket's outcome_prices.
  EXPECT_EQ(agree, 280);
  EXPECT_EQ(disagree, 0);
  EXPECT_EQ(by_status[SettleStatus::kNoStrike], 4);        // strike_value null and no report at the start second
  EXPECT_EQ(by_status[SettleStatus::kNoFinalReport], 8);   // 5 gaps at end_sec inside the day, 3 windows after it
  EXPECT_EQ(by_status[SettleStatus::kStrikeMismatch], 0);  // strike_value is the report at start_sec, every time
}

TEST(Settlement, StrikeValueIsTheReportAtTheStartSecond) {
  const RealDay& day = real_day();
  const RefSeries series(day.reports);
  int checked = 0;
  for (const auto& w : day.windows) {
    const RefReport* r = series.at(w.start_s * 1000);
    if (!w.strike || r == nullptr) continue;
    EXPECT_EQ(r->value, *w.strike) << w.slug;
    ++checked;
  }
  EXPECT_EQ(checked, 284);
}

TEST(Settlement, WindowWhoseDecidingReportIsMissingStaysUnsettled) {
  const RealDay& day = real_day();
  // btc-updown-5m-1780878900: the recording has no report at its end second (the one before is 1 s earlier).
  const MarketWindow* gap = nullptr;
  for (const auto& w : day.windows) {
    if (w.slug == "btc-updown-5m-1780878900") gap = &w;
  }
  ASSERT_NE(gap, nullptr);
  const RefSeries series(day.reports);
  ASSERT_EQ(series.at(gap->end_s * 1000), nullptr);
  ASSERT_NE(series.at((gap->end_s - 1) * 1000), nullptr);
  const Settlement s = settle(*gap, series);
  EXPECT_EQ(s.status, SettleStatus::kNoFinalReport);
  EXPECT_EQ(s.outcome, Outcome::kNone);

  // Removing the deciding report of a settled window un-settles it too.
  const MarketWindow& first_full = day.windows[1];
  ASSERT_EQ(settle(first_full, series).status, SettleStatus::kSettled);
  std::vector<RefReport> cut;
  for (const auto& r : day.reports) {
    if (r.feed_ts_ms != first_full.end_s * 1000) cut.push_back(r);
  }
  const Settlement s2 = settle(first_full, RefSeries(cut));
  EXPECT_EQ(s2.status, SettleStatus::kNoFinalReport);
  EXPECT_EQ(s2.outcome, Outcome::kNone);
}

// Three real windows of 2026-07-24 (tests/data/backtest/fixtures-2026-07-24) where the recording has no report
// at end_sec and "the latest report at or before end_sec" — the dataset author's wording — contradicts
// Polymarket's own resolution. The exact rule leaves them unsettled instead.
TEST(Settlement, LatestAtOrBeforeWouldHaveSettledThreeRealWindowsWrongly) {
  const std::string dir = kDir + "fixtures-2026-07-24/";
  auto w = read_market_list(dir + "latest_rule_counterexamples.markets.jsonl");
  ASSERT_TRUE(w.has_value()) << w.error().message;
  auto r = read_chainlink_csv(dir + "latest_rule_counterexamples.chainlink.csv");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_EQ(w->size(), 3u);
  const RefSeries series(*r);
  for (const auto& m : *w) {
    ASSERT_TRUE(m.strike.has_value()) << m.slug;
    ASSERT_NE(m.venue_outcome, Outcome::kNone);
    // Our rule: the strike report is there and matches strike_value; the deciding report is not.
    ASSERT_NE(series.at(m.start_s * 1000), nullptr) << m.slug;
    EXPECT_EQ(series.at(m.start_s * 1000)->value, *m.strike) << m.slug;
    const Settlement s = settle(m, series);
    EXPECT_EQ(s.status, SettleStatus::kNoFinalReport) << m.slug;
    EXPECT_EQ(s.outcome, Outcome::kNone) << m.slug;
    // The rule we rejected: the latest report at or before end_sec.
    const RefReport* latest = nullptr;
    for (const auto& [ts, rep] : series.reports()) {
      if (ts <= m.end_s * 1000) latest = &rep;
    }
    ASSERT_NE(latest, nullptr);
    const Outcome guess = latest->value >= *m.strike ? Outcome::kUp : Outcome::kDown;
    EXPECT_NE(guess, m.venue_outcome) << m.slug << ": the latest-at-or-before guess would have been right";
  }
}

MarketWindow window(std::optional<E18> strike) {
  MarketWindow w;
  w.slug = "btc-updown-5m-1000200";
  w.start_s = 1'000'200;
  w.end_s = 1'000'500;
  w.strike = strike;
  return w;
}

RefReport report(std::int64_t s, const char* e18) {
  RefReport r;
  r.feed_ts_ms = s * 1000;
  r.value = *parse_e18_integer(e18);
  r.recv_ms = r.feed_ts_ms + 900;
  return r;
}

TEST(Settlement, ComparesExactIntegersBeyondDoublePrecision) {
  // Differ in the last of 23 digits: equal as doubles, not as integers.
  const auto strike = parse_e18_integer("63123544863797618000001");
  ASSERT_TRUE(strike);
  const RefSeries series({report(1'000'500, "63123544863797618000000")});
  ASSERT_EQ(static_cast<double>(strike->raw), static_cast<double>(series.at(1'000'500'000)->value.raw));
  const Settlement s = settle(window(*strike), series);
  EXPECT_EQ(s.status, SettleStatus::kSettled);
  EXPECT_EQ(s.outcome, Outcome::kDown);
}

TEST(Settlement, TieResolvesUp) {
  const RefSeries series({report(1'000'500, "63000000000000000000000")});
  const Settlement s = settle(window(*parse_e18_integer("63000000000000000000000")), series);
  EXPECT_EQ(s.outcome, Outcome::kUp);
}

TEST(Settlement, NullStrikeUsesTheReportAtTheStartSecondWhenRecorded) {
  const RefSeries series({report(1'000'200, "63000000000000000000000"), report(1'000'500, "62999000000000000000000")});
  const Settlement s = settle(window(std::nullopt), series);
  EXPECT_EQ(s.status, SettleStatus::kSettled);
  EXPECT_EQ(s.strike_source, StrikeSource::kChainlink);
  EXPECT_EQ(s.outcome, Outcome::kDown);
  // ... and without it, no strike: unsettled, even though an earlier report exists.
  const RefSeries no_start({report(1'000'199, "63000000000000000000000"), report(1'000'500, "62999000000000000000000")});
  EXPECT_EQ(settle(window(std::nullopt), no_start).status, SettleStatus::kNoStrike);
}

TEST(Settlement, StrikeThatContradictsTheRecordingIsNotSettled) {
  const RefSeries series({report(1'000'200, "63000000000000000000000"), report(1'000'500, "64000000000000000000000")});
  const Settlement s = settle(window(*parse_e18_integer("63000000000000000000001")), series);
  EXPECT_EQ(s.status, SettleStatus::kStrikeMismatch);
  EXPECT_EQ(s.outcome, Outcome::kNone);
}

TEST(Settlement, ConflictingDuplicateReportsDecideNothing) {
  RefSeries series({report(1'000'500, "64000000000000000000000")});
  series.add({report(1'000'500, "62000000000000000000000")});
  EXPECT_EQ(series.at(1'000'500'000), nullptr);
  EXPECT_EQ(settle(window(*parse_e18_integer("63000000000000000000000")), series).status, SettleStatus::kNoFinalReport);
}

TEST(E18, ParsesIntegerStringsAndFormatsDecimals) {
  const auto v = parse_e18_integer("63123544863797618000000");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->to_decimal(), "63123.544863797618");
  EXPECT_EQ(v->to_usd_price().raw, 6'312'354'486'379);
  EXPECT_FALSE(parse_e18_integer("1.5"));
  EXPECT_FALSE(parse_e18_integer("-1"));
  EXPECT_FALSE(parse_e18_integer(""));
  EXPECT_EQ(parse_e18_integer("5")->to_decimal(), "0.000000000000000005");
}

TEST(MarketList, ReadsTheGammaFeeScheduleTickAndMinimumSize) {
  const RealDay& day = real_day();
  const MarketWindow& w = day.windows.front();
  EXPECT_EQ(w.slug, "btc-updown-5m-1780876500");
  EXPECT_TRUE(w.fee.known);
  EXPECT_EQ(w.fee.rate_e6, 70'000);
  EXPECT_EQ(w.fee.exponent, 1);
  EXPECT_TRUE(w.fee.taker_only);
  EXPECT_EQ(w.min_size, Qty::from_units(5));
  EXPECT_EQ(w.venue_outcome, Outcome::kUp);
  EXPECT_EQ(w.end_s - w.start_s, 300);
}

TEST(MarketList, ErrorsNameTheField) {
  auto r = parse_market_list(R"({"slug":"x","token_ids":["1","2"],"start_sec":10,"end_sec":5})");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("end_sec"), std::string::npos);
  auto r2 = parse_market_list(R"({"slug":"x","token_ids":["1","2"],"start_sec":0,"end_sec":300,"strike_value":"12x"})");
  ASSERT_FALSE(r2.has_value());
  EXPECT_NE(r2.error().message.find("strike_value"), std::string::npos);
}

}  // namespace
}  // namespace polybot::sim::backtest
