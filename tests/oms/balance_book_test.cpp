// BalanceBook (what the venue's balances should be) and BalanceParser (GET /balance-allowance answers).
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "oms/lifecycle/fill_ledger.hpp"
#include "oms/reconcile/balance_book.hpp"
#include "oms/reconcile/balance_parser.hpp"

namespace polybot::oms {
namespace {

using ::polybot::Side;
constexpr InstrumentId kTok{3};
constexpr const char* kTokText = "1234567";

ReconcileConfig cfg(BalanceCheck mode = BalanceCheck::kCollateralAndConditional, std::int64_t fee_bps = 0) {
  ReconcileConfig c;
  c.balance_check = mode;
  c.balance_tolerance = 100;
  c.fee_rate_bps = fee_bps;
  return c;
}

// Parses with the simdjson padding the oms's buffers carry.
BalanceParseError parse(BalanceParser& p, const std::string& body, BalanceAnswer* a) {
  std::string padded = body;
  padded.append(64, '\0');
  return p.parse(std::string_view(padded.data(), body.size()), a);
}

TEST(BalanceParser, ReadsTheBalanceWithTheAllowancesMapOrTheLegacySingleAllowance) {
  BalanceParser p;
  BalanceAnswer a;
  ASSERT_EQ(parse(p, R"({"balance":"1000000000","allowances":{"0xE111180000d2663C0091e4f400237545B87B996B":"115792089237316195423570985008687907853269984665640564039457584007913129639935"}})", &a),
            BalanceParseError::kNone);
  EXPECT_EQ(a.balance, 1'000'000'000);
  EXPECT_TRUE(a.allowance_seen);
  EXPECT_FALSE(a.allowance_zero);
  ASSERT_EQ(parse(p, R"({"balance":"250","allowance":"0"})", &a), BalanceParseError::kNone);
  EXPECT_EQ(a.balance, 250);
  EXPECT_TRUE(a.allowance_seen);
  EXPECT_TRUE(a.allowance_zero);
  ASSERT_EQ(parse(p, R"({"balance":42})", &a), BalanceParseError::kNone);  // a JSON integer is accepted too
  EXPECT_EQ(a.balance, 42);
  EXPECT_FALSE(a.allowance_seen);
}

TEST(BalanceParser, RefusalsNameTheFieldAndTheValue) {
  BalanceParser p;
  BalanceAnswer a;
  EXPECT_EQ(parse(p, R"({"balance":"12.5"})", &a), BalanceParseError::kBadBalance);
  EXPECT_EQ(p.error_text(), "balance = \"12.5\": not a whole non-negative number of base units");
  EXPECT_EQ(parse(p, R"({"balance":"-5"})", &a), BalanceParseError::kBadBalance);
  EXPECT_NE(p.error_text().find("\"-5\""), std::string_view::npos);
  EXPECT_EQ(parse(p, R"({"balance":"99999999999999999999"})", &a), BalanceParseError::kOutOfRange);
  EXPECT_NE(p.error_text().find("balance = \"99999999999999999999\""), std::string_view::npos);
  EXPECT_EQ(parse(p, R"({"error":"x"})", &a), BalanceParseError::kMissingBalance);
  EXPECT_EQ(p.error_text().substr(0, 7), "balance");
  EXPECT_EQ(parse(p, R"({"balance":"5","allowances":{"0x1":"lots"}})", &a), BalanceParseError::kBadAllowance);
  EXPECT_EQ(p.error_text(), "allowances = \"lots\": not a whole number of base units");
  EXPECT_EQ(parse(p, R"({"balance":"5","allowance":true})", &a), BalanceParseError::kBadAllowance);
  EXPECT_EQ(parse(p, "not json", &a), BalanceParseError::kNotJson);
  EXPECT_EQ(p.error_text().substr(0, 4), "body");
}

TEST(BalanceParser, SurvivesMutatedAnswersAndEveryRefusalSaysWhy) {
  const std::string seeds[] = {
      R"({"balance":"1000000000","allowances":{"0xE111180000d2663C0091e4f400237545B87B996B":"1157920892373161954235"}})",
      R"({"balance":"0","allowance":"0"})",
      R"({"balance":123456,"allowances":{}})",
  };
  std::mt19937_64 rng(613);
  BalanceParser p;
  std::size_t ok = 0, refused = 0;
  for (const auto& seed : seeds) {
    for (int i = 0; i < 3000; ++i) {
      std::string m = seed;
      for (int e = 0, n = 1 + static_cast<int>(rng() % 3); e < n && !m.empty(); ++e) {
        const std::size_t pos = rng() % m.size();
        switch (rng() % 3) {
          case 0: m[pos] = static_cast<char>(rng() % 256); break;
          case 1: m.erase(pos, 1); break;
          default: m.insert(pos, 1, "0123456789.-e\"{}[],:x"[rng() % 21]); break;
        }
      }
      BalanceAnswer a;
      if (parse(p, m, &a) == BalanceParseError::kNone) {
        EXPECT_GE(a.balance, 0) << m;
        ++ok;
      } else {
        EXPECT_FALSE(p.error_text().empty()) << m;
        ++refused;
      }
    }
  }
  EXPECT_GT(ok, 0u);
  EXPECT_GT(refused, 0u);
}

TEST(BalanceBook, ExpectsTheBaselinePlusTheCashFlowOfOurFills) {
  BalanceBook b(cfg());
  b.adopt_collateral(1'000'000'000);
  EXPECT_TRUE(b.has_baseline());
  // BUY 10 @ 0.40 and SELL 4 @ 0.55, both confirmed.
  b.on_fill(kTok, kTokText, Side::kBuy, Qty::from_raw(10'000'000), Price::from_raw(400'000), true, 1, false, 0);
  b.on_fill(kTok, kTokText, Side::kSell, Qty::from_raw(4'000'000), Price::from_raw(550'000), true, 2, false, 0);
  const BalanceBounds c = b.collateral();
  EXPECT_EQ(c.low, 1'000'000'000 - 4'000'000 + 2'200'000);
  EXPECT_EQ(c.high, c.low);
  ASSERT_EQ(b.token_count(), 1u);
  EXPECT_EQ(b.token_text(0), kTokText);
  EXPECT_EQ(b.shares(0).low, 6'000'000);
  EXPECT_EQ(BalanceBook::judge(c.low, c), BalanceVerdict::kMatches);
  EXPECT_EQ(BalanceBook::judge(c.low - 100, c), BalanceVerdict::kMatches);   // within the tolerance
  EXPECT_EQ(BalanceBook::judge(c.low - 101, c), BalanceVerdict::kMissing);
  EXPECT_EQ(BalanceBook::judge(c.high + 101, c), BalanceVerdict::kExtra);
  EXPECT_EQ(BalanceBook::judge(5'999'000, b.shares(0)), BalanceVerdict::kMissing);
}

TEST(BalanceBook, FillsInDoubtWidenTheRangeUntilTheirTradeIsConfirmed) {
  BalanceBook b(cfg());
  b.adopt_collateral(100'000'000);
  // A MATCHED SELL: its proceeds may not be in the venue's view yet.
  b.on_fill(kTok, kTokText, Side::kSell, Qty::from_raw(10'000'000), Price::from_raw(500'000), false, 7, true, 0);
  EXPECT_EQ(b.collateral().low, 100'000'000);
  EXPECT_EQ(b.collateral().high, 105'000'000);
  EXPECT_EQ(b.in_doubt(), 1u);
  EXPECT_EQ(BalanceBook::judge(100'000'000, b.collateral()), BalanceVerdict::kMatches);
  EXPECT_EQ(BalanceBook::judge(105'000'000, b.collateral()), BalanceVerdict::kMatches);
  b.adopt_collateral(100'000'000);  // never adopted while something is in doubt
  EXPECT_EQ(b.collateral().high, 105'000'000);
  const std::uint64_t e = b.epoch();
  b.on_settled(7);
  EXPECT_NE(b.epoch(), e);
  EXPECT_EQ(b.in_doubt(), 0u);
  EXPECT_EQ(b.collateral().low, 105'000'000);
  EXPECT_EQ(BalanceBook::judge(100'000'000, b.collateral()), BalanceVerdict::kMissing);
  // Expiry: a doubt whose CONFIRMED never comes is taken as settled after in_doubt_max_ms.
  b.on_fill(kTok, kTokText, Side::kSell, Qty::from_raw(1'000'000), Price::from_raw(500'000), false, 8, true, 1'000);
  b.expire(1'000 + 600'000LL * 1'000'000);
  EXPECT_EQ(b.in_doubt(), 1u);
  b.expire(1'001 + 600'000LL * 1'000'000);
  EXPECT_EQ(b.in_doubt(), 0u);
}

TEST(BalanceBook, TakerFillsAllowTheDocumentedFeeMakersNone) {
  BalanceBook b(cfg(BalanceCheck::kCollateral, 700));
  b.adopt_collateral(100'000'000);
  // 100 shares at 0.50 as taker: 100 x 0.07 x 0.25 = $1.75 (protocol notes §13.5), plus 10 units of rounding.
  b.on_fill(kTok, kTokText, Side::kBuy, Qty::from_raw(100'000'000), Price::from_raw(500'000), true, 1, false, 0);
  EXPECT_EQ(b.collateral().fees, 1'750'000 + BalanceBook::kFeeRoundingPerFill);
  b.on_fill(kTok, kTokText, Side::kBuy, Qty::from_raw(100'000'000), Price::from_raw(500'000), false, 2, false, 0);
  EXPECT_EQ(b.collateral().fees, 1'750'000 + BalanceBook::kFeeRoundingPerFill);
  EXPECT_EQ(b.token_count(), 0u);  // collateral-only: shares are not tracked
  const std::int64_t after = 100'000'000 - 100'000'000;
  EXPECT_EQ(BalanceBook::judge(after - 1'750'000, b.collateral()), BalanceVerdict::kMatches);
  EXPECT_EQ(BalanceBook::judge(after - 1'760'111, b.collateral()), BalanceVerdict::kMissing);
}

TEST(BalanceBook, ResetForgetsTheBaselineAndCompactDropsEmptyTokens) {
  BalanceBook b(cfg());
  b.adopt_collateral(10);
  b.on_fill(kTok, kTokText, Side::kBuy, Qty::from_raw(1'000'000), Price::from_raw(10'000), false, 0, false, 0);
  b.on_fill(InstrumentId{4}, "999", Side::kBuy, Qty::from_raw(1'000'000), Price::from_raw(10'000), false, 0, false, 0);
  ASSERT_EQ(b.token_count(), 2u);
  b.adopt_collateral(0);
  b.adopt_shares(0, 0);  // sold or redeemed meanwhile
  b.adopt_shares(1, 1'000'000);
  b.compact();
  ASSERT_EQ(b.token_count(), 1u);
  EXPECT_EQ(b.token_text(0), "999");
  b.reset();
  EXPECT_FALSE(b.has_baseline());
}

TEST(BalanceBook, TokenCapacityIsBoundedAndOverflowIsReported) {
  BalanceBook b(cfg());
  b.adopt_collateral(0);
  for (std::size_t i = 0; i <= BalanceBook::kMaxTokens; ++i) {
    const std::string text = std::to_string(1000 + i);
    b.on_fill(InstrumentId{static_cast<std::uint32_t>(i)}, text, Side::kBuy, Qty::from_raw(1), Price::from_raw(10'000),
              false, 0, false, 0);
  }
  EXPECT_EQ(b.token_count(), BalanceBook::kMaxTokens);
  EXPECT_TRUE(b.token_overflow());
}

TEST(FillLedger, EachMakerLegOfOneTradeIsItsOwnFillAndLegZeroKeepsTheOldKey) {
  const VenueOrderKey order{0x1122334455667788ULL};
  const std::uint64_t k0 = FillLedger::key("trade-1", order);
  EXPECT_EQ(FillLedger::key("trade-1", order, 0), k0);
  const std::uint64_t k1 = FillLedger::key("trade-1", order, 1);
  EXPECT_NE(k1, k0);
  EXPECT_NE(FillLedger::key("trade-1", order, 2), k1);
  FillLedger ledger;
  EXPECT_EQ(ledger.record(k0, TradeStatus::kMatched), FillAction::kCount);
  EXPECT_EQ(ledger.record(k1, TradeStatus::kMatched), FillAction::kCount);
  EXPECT_EQ(ledger.record(k1, TradeStatus::kMatched), FillAction::kDuplicate);
}

}  // namespace
}  // namespace polybot::oms
