// make_strategy and the params loaders: every name builds, validation errors name the key and the value.
#include "signal/strategy_factory.hpp"

#include <gtest/gtest.h>

namespace polybot::signal {
namespace {

toml::table parse(std::string_view text) { return toml::parse(text); }

TEST(StrategyFactory, MakesEveryNamedStrategyWithDefaults) {
  for (const char* name : {"directional", "fair_value", "pair_cost", "complete_set", "market_making"}) {
    auto r = make_strategy(name, toml::table{});
    ASSERT_TRUE(r.has_value()) << name << ": " << r.error().what();
    EXPECT_STREQ((*r)->name(), name);
  }
}

TEST(StrategyFactory, RejectsAnUnknownNameOnKeyName) {
  auto r = make_strategy("martingale", toml::table{}, "strategy.");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "strategy.name");
  EXPECT_NE(r.error().message.find("martingale"), std::string::npos);
}

TEST(StrategyFactory, RejectsAnUnknownKeyNamingIt) {
  auto r = make_strategy("directional", parse("rsi_lwo = 25"), "strategy.directional.");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "strategy.directional.rsi_lwo");
  EXPECT_NE(r.error().message.find("unknown key"), std::string::npos);
}

TEST(StrategyFactory, RejectsOutOfRangeValuesNamingKeyAndValue) {
  auto r = make_strategy("directional", parse("rsi_low = 130"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().key, "rsi_low");
  EXPECT_NE(r.error().message.find("130"), std::string::npos) << r.error().what();
  auto t = make_strategy("pair_cost", parse("target = \"0.98\""));
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().key, "target");
  EXPECT_NE(t.error().message.find("expected a number"), std::string::npos);
}

TEST(StrategyFactory, ParsesMoneyFromDecimalStringsExactly) {
  auto p = load_directional_params(parse("stake = \"7.25\"\nmax_price = \"0.66\"\norder_type = \"fak\"\nid = 9"));
  ASSERT_TRUE(p.has_value()) << p.error().what();
  EXPECT_EQ(p->stake, Usdc::from_raw(7'250'000));
  EXPECT_EQ(p->max_price, Price::from_raw(660'000));
  EXPECT_EQ(p->order_type, OrderType::kFak);
  EXPECT_EQ(p->id, StrategyId{9});
  auto bad = load_directional_params(parse("max_price = 0.66"));
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().key, "max_price");
  auto precise = load_pair_cost_params(parse("order_size = \"1.0000001\""));
  ASSERT_FALSE(precise.has_value());
  EXPECT_EQ(precise.error().key, "order_size");
}

TEST(StrategyFactory, RejectsInconsistentSettings) {
  auto a = load_directional_params(parse("entry_from_s = 60\nentry_to_s = 120"));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().key, "entry_to_s");
  auto b = load_directional_params(parse("imbalance_source = \"bybit\""));
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().key, "imbalance_source");
  EXPECT_NE(b.error().message.find("\"polymarket\""), std::string::npos);
  auto c = load_fair_value_params(parse("vol_samples = 10\nmin_vol_samples = 20"), "s.");
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().key, "s.min_vol_samples");
  auto d = make_strategy("fair_value", parse("name = \"pair_cost\""));
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().key, "name");
}

TEST(StrategyFactory, LoadsEveryDocumentedKey) {
  auto fv = load_fair_value_params(parse(R"(
    id = 12
    interval_s = 900
    edge = 0.03
    fee_exponent = 1
    taker_delay_ms = 250
    delay_sigmas = 2
    settlement_twap_s = 0
    strike_rule = "last_at_or_before"
    basis_halflife_s = 30
    order_size = "20"
    allow_sell = false
  )"));
  ASSERT_TRUE(fv.has_value()) << fv.error().what();
  EXPECT_EQ(fv->interval_s, 900u);
  EXPECT_EQ(fv->taker_delay_ms, 250);
  EXPECT_EQ(fv->model.strike_rule, StrikeRule::kLastAtOrBefore);
  EXPECT_EQ(fv->model.settlement_twap_s, 0.0);
  EXPECT_FALSE(fv->allow_sell);
  auto mm = load_market_making_params(parse("fair_source = \"model\"\nhalf_spread = 0.03\nmax_sigma = 0.001"));
  ASSERT_TRUE(mm.has_value()) << mm.error().what();
  EXPECT_EQ(mm->fair_source, FairSource::kModel);
  auto pc = load_pair_cost_params(parse("mode = \"maker\"\nmax_delta = \"25\"\nno_new_risk_s = 90"));
  ASSERT_TRUE(pc.has_value()) << pc.error().what();
  EXPECT_EQ(pc->mode, OrderMode::kMaker);
  EXPECT_EQ(pc->max_delta, Qty::from_units(25));
  auto cs = load_complete_set_params(parse("order_type = \"fok\"\nmargin = 0.01"));
  ASSERT_TRUE(cs.has_value()) << cs.error().what();
  EXPECT_EQ(cs->order_type, OrderType::kFok);
  auto cs_bad = load_complete_set_params(parse("order_type = \"gtc\""));
  EXPECT_FALSE(cs_bad.has_value());
}

}  // namespace
}  // namespace polybot::signal
