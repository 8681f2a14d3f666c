// Fees per protocol notes §13.5, from the market's own Gamma fee schedule.
#include "sim/backtest/fee_model.hpp"

#include <gtest/gtest.h>

namespace polybot::sim::backtest {
namespace {

FeeSchedule crypto_v2() { return FeeSchedule{true, true, 70'000, 1, true}; }
Price px(const char* s) { return *Price::parse(s); }
Qty sh(const char* s) { return *Qty::parse(s); }

TEST(FeeModel, MatchesTheDocumentedTakerExamples) {
  EXPECT_EQ(trade_fee(crypto_v2(), Liquidity::kTaker, px("0.5"), sh("100")), *Usdc::parse("1.75"));
  EXPECT_EQ(trade_fee(crypto_v2(), Liquidity::kTaker, px("0.1"), sh("100")), *Usdc::parse("0.63"));
  EXPECT_EQ(trade_fee(crypto_v2(), Liquidity::kTaker, px("0.9"), sh("100")), *Usdc::parse("0.63"));
  // 100 × 0.07 × 0.01 × 0.99 = 0.0693 (the docs table shows it rounded to cents).
  EXPECT_EQ(trade_fee(crypto_v2(), Liquidity::kTaker, px("0.01"), sh("100")), *Usdc::parse("0.0693"));
}

TEST(FeeModel, RoundsHalfUpToFiveDecimalsWithAMinimum) {
  // 0.03 × 0.07 × 0.25 = 0.000525 → 0.00053 (half-up; half-even would give 0.00052). Mode UNVERIFIED upstream.
  EXPECT_EQ(trade_fee(crypto_v2(), Liquidity::kTaker, px("0.5"), sh("0.03")), *Usdc::parse("0.00053"));
  // 7.3 × 0.07 × 0.55 × 0.45 = 0.1264725 → 0.12647.
  EXPECT_EQ(trade_fee(crypto_v2(), Liquidity::kTaker, px("0.55"), sh("7.3")), *Usdc::parse("0.12647"));
  // 0.01 share at 0.999: 0.0000006993 → the minimum 0.00001.
  EXPECT_EQ(trade_fee(crypto_v2(), Liquidity::kTaker, px("0.999"), sh("0.01")), *Usdc::parse("0.00001"));
}

TEST(FeeModel, MakersPayNothingOnATakerOnlySchedule) {
  EXPECT_EQ(trade_fee(crypto_v2(), Liquidity::kMaker, px("0.5"), sh("100")), Usdc{});
  FeeSchedule both = crypto_v2();
  both.taker_only = false;
  EXPECT_EQ(trade_fee(both, Liquidity::kMaker, px("0.5"), sh("100")), *Usdc::parse("1.75"));
}

TEST(FeeModel, UsesTheScheduleExponentAndRate) {
  // The V1-era 15-minute schedule: rate 0.25, exponent 2: 100 × 0.25 × 0.0625 = 1.5625.
  const FeeSchedule v1{true, true, 250'000, 2, true};
  EXPECT_EQ(trade_fee(v1, Liquidity::kTaker, px("0.5"), sh("100")), *Usdc::parse("1.5625"));
  FeeSchedule off = crypto_v2();
  off.enabled = false;
  EXPECT_EQ(trade_fee(off, Liquidity::kTaker, px("0.5"), sh("100")), Usdc{});
}

TEST(FeeModel, ReadsTheRateFromTheMarketsGammaObject) {
  auto r = parse_market_list(
      R"({"slug":"btc-updown-5m-1","token_ids":["1","2"],"start_sec":0,"end_sec":300,"strike_value":null,)"
      R"("raw":{"feesEnabled":true,"feeSchedule":{"rate":0.035,"exponent":1,"takerOnly":true,"rebateRate":0.2}}})");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const FeeSchedule& f = r->front().fee;
  EXPECT_TRUE(f.known);
  EXPECT_EQ(f.rate_e6, 35'000);
  EXPECT_EQ(trade_fee(f, Liquidity::kTaker, px("0.5"), sh("100")), *Usdc::parse("0.875"));
}

}  // namespace
}  // namespace polybot::sim::backtest
