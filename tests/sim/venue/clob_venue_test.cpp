#include "sim/venue/clob_venue.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "oms/crypto/l2_auth.hpp"
#include "oms/presign/signing_service.hpp"
#include "oms/secrets/api_credentials.hpp"
#include "tests/oms/test_keys.hpp"

namespace polybot::sim::venue {
namespace {

using ::polybot::Side;
constexpr const char* kKey = "11111111-2222-3333-4444-555555555555";
constexpr const char* kSecret = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
constexpr const char* kPass = "pp";
constexpr const char* kToken = "1234";
constexpr InstrumentId kTok{1};

struct Req {
  std::string method, path, body, ts, sig, addr, query;
  net::ServerRequest view() const {
    net::ServerRequest r;
    r.method = method;
    r.path = path;
    r.query = query;
    r.target = path;
    r.body = body;
    r.headers = {{"POLY_ADDRESS", addr}, {"POLY_SIGNATURE", sig}, {"POLY_TIMESTAMP", ts},
                 {"POLY_API_KEY", kKey}, {"POLY_PASSPHRASE", kPass}};
    return r;
  }
};

class VenueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    VenueConfig vc;
    VenueMarket m;
    m.condition_id = "0x01";
    m.token_id = kToken;
    vc.markets.push_back(m);
    vc.account.api_key = kKey;
    vc.account.secret_b64 = kSecret;
    vc.account.passphrase = kPass;
    vc.account.signer = signer_.address();
    vc.account.collateral = 100'000'000;
    vc.advance_trades = false;
    auto v = ClobVenue::create(vc);
    ASSERT_TRUE(v.has_value()) << v.error();
    venue_ = std::move(*v);
    dir_.set(kTok, MarketId{1}, kToken, "0x01", Price::from_raw(10'000), Qty::from_raw(5'000'000), false);
  }

  Req l2(std::string method, std::string path, std::string body) {
    Req r{std::move(method), std::move(path), std::move(body), {}, {}, {}, {}};
    const std::uint64_t ts = static_cast<std::uint64_t>(clock_.now_ns() / 1'000'000'000);
    r.ts = std::to_string(ts);
    r.sig = std::string(oms::l2_signature(creds_->hmac(), ts, r.method, r.path, r.body).view());
    char a[oms::Address::kHexLen];
    signer_.address().write_checksummed(a);
    r.addr.assign(a, sizeof(a));
    return r;
  }
  std::string signed_body(Side side, std::int64_t price, std::int64_t size) {
    oms::SigningConfig sc;
    sc.owner = kKey;
    oms::SigningService svc(osigner_, dir_, store_, sc, clock_);
    oms::SignJob j;
    j.slot = 0;
    j.key = oms::SignKey{kTok, side, ::polybot::OrderType::kGtc, 0, Price::from_raw(price), Qty::from_raw(size)};
    EXPECT_EQ(svc.sign_now(j).outcome, oms::SignOutcome::kOk);
    return std::string(store_.at(0).view());
  }
  net::ServerResponse call(const Req& r) {
    net::ServerResponse resp;
    venue_->handle(r.view(), resp, clock_.now_ns());
    return resp;
  }

  LiveClock clock_{0};
  oms::Signer signer_ = oms::test::hardhat_signer();
  oms::ExchangeDomains domains_ = *oms::ExchangeDomains::make(oms::ExchangeConfig::polygon());
  oms::OrderSigner osigner_{signer_, domains_};
  Result<oms::ApiCredentials, oms::SecretError> creds_ = oms::ApiCredentials::make(kKey, kSecret, kPass);
  oms::MarketDirectory dir_;
  oms::SignedOrderStore store_{2};
  std::unique_ptr<ClobVenue> venue_;
};

TEST_F(VenueTest, AcceptsAValidSignedOrder) {
  auto resp = call(l2("POST", "/order", signed_body(Side::kBuy, 500'000, 10'000'000)));
  EXPECT_EQ(resp.status, 200) << resp.body;
  EXPECT_NE(resp.body.find("\"success\":true"), std::string::npos);
  EXPECT_NE(resp.body.find("\"status\":\"live\""), std::string::npos);
  EXPECT_EQ(venue_->open_order_count(), 1u);
}

TEST_F(VenueTest, RejectsAnHmacThatDoesNotCoverTheExactBody) {
  Req r = l2("POST", "/order", signed_body(Side::kBuy, 500'000, 10'000'000));
  r.body.insert(r.body.size() - 1, " ");  // re-serialised after signing
  auto resp = call(r);
  EXPECT_EQ(resp.status, 401);
  EXPECT_NE(resp.body.find("Unauthorized/Invalid api key"), std::string::npos);
  EXPECT_EQ(venue_->stats().orders_received, 0u);
}

TEST_F(VenueTest, RejectsAnOrderWhoseSignedFieldsWereAltered) {
  std::string body = signed_body(Side::kBuy, 500'000, 10'000'000);
  const auto at = body.find("\"makerAmount\":\"5000000\"");
  ASSERT_NE(at, std::string::npos);
  body.replace(at, 23, "\"makerAmount\":\"5100000\"");
  auto resp = call(l2("POST", "/order", body));
  EXPECT_EQ(resp.status, 400);
  EXPECT_NE(resp.body.find("invalid signature"), std::string::npos);
  EXPECT_EQ(venue_->stats().bad_signatures, 1u);
}

TEST_F(VenueTest, RejectsTheSameSignedOrderTwice) {
  const std::string body = signed_body(Side::kBuy, 500'000, 10'000'000);
  EXPECT_EQ(call(l2("POST", "/order", body)).status, 200);
  auto again = call(l2("POST", "/order", body));
  EXPECT_EQ(again.status, 400);
  EXPECT_NE(again.body.find("INVALID_ORDER_DUPLICATED"), std::string::npos);
  EXPECT_EQ(venue_->open_order_count(), 1u);
}

TEST_F(VenueTest, MatchesWithPriceTimePriorityAtTheMakersPrice) {
  venue_->add_liquidity(kToken, Side::kSell, Price::from_raw(500'000), Qty::from_raw(5'000'000));  // first at 0.50
  venue_->add_liquidity(kToken, Side::kSell, Price::from_raw(500'000), Qty::from_raw(5'000'000));  // second at 0.50
  venue_->add_liquidity(kToken, Side::kSell, Price::from_raw(490'000), Qty::from_raw(5'000'000));  // best price
  const std::int64_t before = venue_->collateral();
  auto resp = call(l2("POST", "/order", signed_body(Side::kBuy, 500'000, 7'000'000)));
  ASSERT_EQ(resp.status, 200) << resp.body;
  EXPECT_NE(resp.body.find("\"status\":\"matched\""), std::string::npos);
  // 5 @ 0.49 then 2 @ 0.50 from the FIRST order at 0.50 (other-1).
  EXPECT_EQ(before - venue_->collateral(), 5 * 490'000 + 2 * 500'000);
  const auto frames = venue_->drain_user_frames();
  ASSERT_FALSE(frames.empty());
  const std::string& trade = frames.back();
  EXPECT_NE(trade.find("\"trader_side\":\"TAKER\""), std::string::npos);
  const auto p3 = trade.find("other-3");
  const auto p1 = trade.find("other-1");
  ASSERT_NE(p3, std::string::npos);
  ASSERT_NE(p1, std::string::npos);
  EXPECT_LT(p3, p1);
  EXPECT_EQ(trade.find("other-2"), std::string::npos);
}

TEST_F(VenueTest, RejectsPricesOffTheTickGrid) {
  venue_.reset();
  VenueConfig vc;
  VenueMarket m;
  m.condition_id = "0x01";
  m.token_id = kToken;
  m.tick = Price::from_raw(100'000);
  vc.markets.push_back(m);
  vc.account.api_key = kKey;
  vc.account.secret_b64 = kSecret;
  vc.account.passphrase = kPass;
  vc.account.signer = signer_.address();
  auto v = ClobVenue::create(vc);
  ASSERT_TRUE(v.has_value());
  venue_ = std::move(v).value();
  auto resp = call(l2("POST", "/order", signed_body(Side::kBuy, 550'000, 10'000'000)));
  EXPECT_EQ(resp.status, 400);
  EXPECT_NE(resp.body.find("INVALID_ORDER_MIN_TICK_SIZE"), std::string::npos);
}

TEST_F(VenueTest, HeartbeatLapseCancelsEveryOpenOrder) {
  EXPECT_EQ(call(l2("POST", "/order", signed_body(Side::kBuy, 500'000, 10'000'000))).status, 200);
  auto hb = call(l2("POST", "/v1/heartbeats", R"({"heartbeat_id":""})"));
  ASSERT_EQ(hb.status, 200);
  EXPECT_NE(hb.body.find("heartbeat_id"), std::string::npos);
  EXPECT_EQ(call(l2("POST", "/v1/heartbeats", R"({"heartbeat_id":"wrong"})")).status, 400);
  venue_->tick(clock_.now_ns() + 1'000'000'000);          // within the 15 s default
  EXPECT_EQ(venue_->open_order_count(), 1u);
  venue_->tick(clock_.now_ns() + 16'000'000'000);         // lapsed
  EXPECT_EQ(venue_->open_order_count(), 0u);
  EXPECT_EQ(venue_->stats().heartbeat_lapses, 1u);
  EXPECT_FALSE(venue_->heartbeat_active());
}

TEST_F(VenueTest, BalanceAllowanceAnswersCollateralAndConditionalSharesMovedByFillsAndRedemption) {
  const auto balance = [&](std::string query) {
    Req r = l2("GET", "/balance-allowance", "");
    r.query = std::move(query);
    return call(r);
  };
  auto c = balance("asset_type=COLLATERAL&signature_type=0");
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_NE(c.body.find("\"balance\":\"100000000\""), std::string::npos) << c.body;
  EXPECT_NE(c.body.find("\"allowances\":{"), std::string::npos);
  auto s0 = balance(std::string("asset_type=CONDITIONAL&token_id=") + kToken + "&signature_type=0");
  ASSERT_EQ(s0.status, 200);
  EXPECT_NE(s0.body.find("\"balance\":\"0\""), std::string::npos) << s0.body;

  // Our BUY 10 @ 0.50 rests; another participant sells 4 into it: +4 shares, -2 pUSD.
  ASSERT_EQ(call(l2("POST", "/order", signed_body(Side::kBuy, 500'000, 10'000'000))).status, 200);
  EXPECT_EQ(venue_->take(kToken, Side::kSell, Price::from_raw(500'000), Qty::from_raw(4'000'000), clock_.now_ns()),
            Qty::from_raw(4'000'000));
  EXPECT_EQ(venue_->shares(kToken), 4'000'000);
  EXPECT_EQ(venue_->collateral(), 98'000'000);
  auto s1 = balance(std::string("asset_type=CONDITIONAL&token_id=") + kToken + "&signature_type=0");
  EXPECT_NE(s1.body.find("\"balance\":\"4000000\""), std::string::npos) << s1.body;
  // Our SELL 5 as taker against resting liquidity at 0.60: -5 shares, +3 pUSD.
  venue_->add_liquidity(kToken, Side::kBuy, Price::from_raw(600'000), Qty::from_raw(5'000'000));
  ASSERT_EQ(call(l2("POST", "/order", signed_body(Side::kSell, 600'000, 5'000'000))).status, 200);
  EXPECT_EQ(venue_->shares(kToken), -1'000'000);  // the simulator does not refuse selling beyond holdings
  EXPECT_EQ(venue_->collateral(), 101'000'000);
  venue_->adjust_shares(kToken, 3'000'000);
  // Settlement: the winning side's shares pay 1 each.
  EXPECT_EQ(venue_->redeem(kToken, Price::from_raw(1'000'000)), Usdc::from_raw(2'000'000));
  EXPECT_EQ(venue_->shares(kToken), 0);
  EXPECT_EQ(venue_->collateral(), 103'000'000);
  // Fault injection: money moved behind the engine's back.
  venue_->adjust_collateral(-3'000'000);
  auto c2 = balance("asset_type=COLLATERAL&signature_type=0");
  EXPECT_NE(c2.body.find("\"balance\":\"100000000\""), std::string::npos) << c2.body;
  EXPECT_EQ(venue_->stats().balance_reads, 4u);
}

TEST_F(VenueTest, BalanceAllowanceRefusesAMissingOrUnknownAssetTypeLikeTheVenue) {
  for (const char* q : {"signature_type=0", "asset_type=USDC&signature_type=0", "asset_type=CONDITIONAL&signature_type=0"}) {
    Req r = l2("GET", "/balance-allowance", "");
    r.query = q;
    const auto resp = call(r);
    EXPECT_EQ(resp.status, 400) << q;
    EXPECT_NE(resp.body.find("error"), std::string::npos) << resp.body;
  }
  EXPECT_EQ(venue_->stats().balance_reads, 0u);
}

}  // namespace
}  // namespace polybot::sim::venue
