#include "oms/order/order_body.hpp"

#include <gtest/gtest.h>

#include <string>

#include "oms/order/order_signer.hpp"
#include "tests/oms/test_keys.hpp"

namespace polybot::oms {
namespace {

constexpr std::string_view kA4Body =
    R"({"deferExec":false,"postOnly":false,"order":{"salt":479249096354,"maker":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","signer":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","tokenId":"1234","makerAmount":"5500000","takerAmount":"10000000","side":"BUY","signatureType":0,"timestamp":"1790000000000","expiration":"0","metadata":"0x0000000000000000000000000000000000000000000000000000000000000000","builder":"0x0000000000000000000000000000000000000000000000000000000000000000","signature":"0x77b38595604a220bbf96a0ed42d5d874248bdccce1b90ff87a955961bf0425395116fbf14ffabeddebc51e477123551b53f5d78962d66d397def1abf5327d2061b"},"owner":"00000000-0000-0000-0000-000000000000","orderType":"GTC"})";

SignedOrder a4_order() {
  const Signer s = test::hardhat_signer();
  const auto d = ExchangeDomains::make(ExchangeConfig::polygon()).value();
  OrderV2 o;
  o.salt = 479249096354;
  o.maker = s.address();
  o.signer = s.address();
  EXPECT_TRUE(TokenId::parse("1234", o.token_id));
  o.maker_amount = 5500000;
  o.taker_amount = 10000000;
  o.timestamp_ms = 1790000000000;
  SignedOrder so;
  EXPECT_EQ(OrderSigner(s, d).sign(o, ExchangeVersion::kV2, false, so), SignStatus::kOk);
  return so;
}

TEST(OrderBody, MatchesTheOfficialClientBytesForTheA4Vector) {
  const SignedOrder so = a4_order();
  char buf[kMaxOrderBodySize];
  const std::size_t n =
      write_order_body(so, OrderBodyOptions{"00000000-0000-0000-0000-000000000000", OrderType::kGtc, false, false},
                       buf, sizeof buf);
  EXPECT_EQ(std::string_view(buf, n), kA4Body);
}

TEST(OrderBody, WritesFlagsExpirationAndOrderType) {
  SignedOrder so = a4_order();
  so.order.expiration_s = 1790003600;
  so.order.side = Side::kSell;
  char buf[kMaxOrderBodySize];
  const std::size_t n = write_order_body(so, OrderBodyOptions{"key", OrderType::kGtd, true, true}, buf, sizeof buf);
  const std::string body(buf, n);
  EXPECT_EQ(body.rfind(R"({"deferExec":true,"postOnly":true,"order":{"salt":479249096354,)", 0), 0u);
  EXPECT_NE(body.find(R"("side":"SELL","signatureType":0,"timestamp":"1790000000000","expiration":"1790003600",)"),
            std::string::npos);
  EXPECT_NE(body.find(R"(},"owner":"key","orderType":"GTD"})"), std::string::npos);
}

TEST(OrderBody, ReturnsZeroWhenTheBufferIsTooSmall) {
  const SignedOrder so = a4_order();
  char buf[kMaxOrderBodySize];
  const OrderBodyOptions opt{"00000000-0000-0000-0000-000000000000", OrderType::kGtc, false, false};
  const std::size_t full = write_order_body(so, opt, buf, sizeof buf);
  ASSERT_EQ(full, kA4Body.size());
  for (std::size_t cap : {std::size_t{0}, std::size_t{10}, full / 2, full - 1}) {
    EXPECT_EQ(write_order_body(so, opt, buf, cap), 0u) << cap;
  }
  EXPECT_EQ(write_order_body(so, opt, buf, full), full);
}

TEST(OrderBody, EscapesTheOwnerAsJsonStringifyDoes) {
  char out[64];
  const std::string_view s = "a\"b\\c\n\x01";
  const std::size_t n = write_json_escaped(s, out, sizeof out);
  EXPECT_EQ(std::string_view(out, n), R"(a\"b\\c\n\u0001)");
}

}  // namespace
}  // namespace polybot::oms
