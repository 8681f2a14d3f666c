#include "oms/crypto/eip712.hpp"

#include <gtest/gtest.h>

#include "oms/crypto/l1_auth.hpp"
#include "oms/order/exchange_config.hpp"
#include "oms/order/order.hpp"
#include "tests/oms/test_hex.hpp"

namespace polybot::oms {
namespace {

using test::to_hex;

TEST(Eip712, TypeHashesMatchTheProtocolNotes) {
  EXPECT_EQ(to_hex(keccak256(kEip712DomainType)),
            "0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f");
  EXPECT_EQ(to_hex(keccak256(kClobAuthType)), "0x52578c5c725a28a84fedc8c22aa47947822942f35b4dc350db028e45320e035c");
  EXPECT_EQ(to_hex(keccak256(kOrderV2Type)), "0xbb86318a2138f5fa8ae32fbe8e659f8fcf13cc6ae4014a707893055433818589");
  EXPECT_EQ(to_hex(keccak256(kOrderV1Type)), "0xa852566c4e14d00869b6db0220888a9090a13eccdaea03713ff0a3d27bf9767c");
}

TEST(ExchangeDomains, SeparatorsMatchThePublishedPolygonValues) {
  auto d = ExchangeDomains::make(ExchangeConfig::polygon());
  ASSERT_TRUE(d);
  EXPECT_EQ(to_hex(d->order_domain(ExchangeVersion::kV2, false)),
            "0x3264e159346253e26a64e00b69032db0e7d32f94628de3e6eecb50304d7af3d2");
  EXPECT_EQ(to_hex(d->order_domain(ExchangeVersion::kV2, true)),
            "0x9b858f53327b0bd13af8ec14cfb35234fb9eb7b0504d1a4e61f433840d30e81a");
  EXPECT_EQ(to_hex(d->order_domain(ExchangeVersion::kV3, false)),
            "0x466c63910185bbd55e8679264200c4e0abdcbb0c6264eb3d41d13326022e095b");
}

TEST(ExchangeDomains, RejectsABadAddressNamingTheField) {
  ExchangeConfig c;
  c.neg_risk_exchange_v2 = "0x1234";
  auto d = ExchangeDomains::make(c);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().find("neg_risk_exchange_v2"), std::string::npos);
  EXPECT_NE(d.error().find("0x1234"), std::string::npos);
}

TEST(ExchangeConfig, KnowsPolygonAndAmoyAndRefusesOtherChains) {
  EXPECT_TRUE(ExchangeConfig::for_chain(137));
  auto amoy = ExchangeConfig::for_chain(80002);
  ASSERT_TRUE(amoy);
  EXPECT_EQ(amoy->exchange_v3, "0x9fE6e61422AdB6F610d8597F9684b16912D50C3D");
  auto other = ExchangeConfig::for_chain(1);
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().find("chain_id 1 "), std::string::npos);
}

TEST(Address, FormatsEip55ChecksumAndParsesStrictly) {
  auto p = parse_address("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
  ASSERT_TRUE(p.ok);
  char out[Address::kHexLen];
  p.address.write_checksummed(out);
  EXPECT_EQ(std::string_view(out, sizeof out), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  EXPECT_TRUE(parse_address("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266").ok);
  const auto bad_case = parse_address("0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  EXPECT_FALSE(bad_case.ok);
  EXPECT_EQ(bad_case.error, AddressErrc::kBadChecksum);
  EXPECT_FALSE(parse_address("0xf39fd6").ok);
  EXPECT_FALSE(parse_address("0xz39fd6e51aad88f6f4ce6ab8827279cfffb92266").ok);
}

TEST(U256, ParsesLargeTokenIdsAndRejectsOverflow) {
  U256 v;
  ASSERT_TRUE(parse_u256_decimal("1234", v));
  EXPECT_EQ(v, U256::from_u64(1234));
  // 2^256 - 1
  ASSERT_TRUE(parse_u256_decimal(
      "115792089237316195423570985008687907853269984665640564039457584007913129639935", v));
  for (auto b : v.be) EXPECT_EQ(b, 0xff);
  EXPECT_FALSE(parse_u256_decimal(
      "115792089237316195423570985008687907853269984665640564039457584007913129639936", v));
  EXPECT_FALSE(parse_u256_decimal("12a", v));
  EXPECT_FALSE(parse_u256_decimal("", v));
}

}  // namespace
}  // namespace polybot::oms
