#include "oms/order/order_signer.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "tests/oms/test_hex.hpp"
#include "tests/oms/test_keys.hpp"

namespace polybot::oms {
namespace {

using test::to_hex;

ExchangeDomains domains(std::uint64_t chain = 137) {
  return std::move(ExchangeDomains::make(ExchangeConfig::for_chain(chain).value())).value();
}

// §3.2 vector order: salt 479249096354, tokenId 1234, timestamp 1790000000000, zero metadata/builder, EOA.
OrderV2 vector_order(Side side) {
  OrderV2 o;
  o.salt = 479249096354;
  o.maker = parse_address(test::kHardhatAddress).address;
  o.signer = o.maker;
  EXPECT_TRUE(TokenId::parse("1234", o.token_id));
  o.side = side;
  o.maker_amount = side == Side::kBuy ? 5500000 : 10000000;
  o.taker_amount = side == Side::kBuy ? 10000000 : 5500000;
  o.timestamp_ms = 1790000000000;
  return o;
}

std::string sig_hex(const SignedOrder& s) { return to_hex(s.signature.bytes.data(), s.signature.len); }

TEST(Signer, DerivesTheHardhatAddressFromItsKey) {
  const Signer s = test::hardhat_signer();
  char out[Address::kHexLen];
  s.address().write_checksummed(out);
  EXPECT_EQ(std::string_view(out, sizeof out), test::kHardhatAddress);
}

TEST(OrderSigner, ReproducesTheV2BuyVector) {
  const Signer s = test::hardhat_signer();
  const auto d = domains();
  const OrderSigner signer(s, d);
  const OrderV2 o = vector_order(Side::kBuy);
  EXPECT_EQ(to_hex(order_struct_hash(o)), "0xe42b1be2483d10d3df61be0d88a832c5d6584c6364d576612908c4fe7b2e69e9");
  SignedOrder so;
  ASSERT_EQ(signer.sign(o, ExchangeVersion::kV2, false, so), SignStatus::kOk);
  EXPECT_EQ(to_hex(so.order_hash), "0x327075f2e76aed3657a5b1776d57182944b825225572f9c06e645a137a5f9e56");
  EXPECT_EQ(sig_hex(so),
            "0x77b38595604a220bbf96a0ed42d5d874248bdccce1b90ff87a955961bf0425395116fbf14ffabeddebc51e477123551b53f5d78"
            "962d66d397def1abf5327d2061b");
}

TEST(OrderSigner, ReproducesTheV2SellVector) {
  const Signer s = test::hardhat_signer();
  const auto d = domains();
  SignedOrder so;
  const OrderV2 o = vector_order(Side::kSell);
  EXPECT_EQ(to_hex(order_struct_hash(o)), "0x11aaf6dda76771146c97ad204bc4d5aeadece5c061f56241f77c51d4073fea54");
  ASSERT_EQ(OrderSigner(s, d).sign(o, ExchangeVersion::kV2, false, so), SignStatus::kOk);
  EXPECT_EQ(to_hex(so.order_hash), "0x8212563bf3411204c5aea4be72074f9847970be19ab60030a134a508679161ac");
  EXPECT_EQ(sig_hex(so),
            "0x8321aec149a8ac0ffee829c779174173864d7936234eaa6c6fc5e0768551a9e679d660f56d205e6725a4264f1450cce51c9fc"
            "1cc7f2636093e67a21efca616a71c");
}

TEST(OrderSigner, ReproducesTheNegRiskAndV3Vectors) {
  const Signer s = test::hardhat_signer();
  const auto d = domains();
  const OrderSigner signer(s, d);
  SignedOrder so;
  ASSERT_EQ(signer.sign(vector_order(Side::kBuy), ExchangeVersion::kV2, true, so), SignStatus::kOk);
  EXPECT_EQ(to_hex(so.order_hash), "0x0ca97ac1eaf41c642333661a6fc7d5fa84471ba72aceaec366a4dbf3c8fadf10");
  EXPECT_EQ(sig_hex(so),
            "0x0522f09c550a688477cc22be5c5e9ddfee51400a3d3686c8c619eef94384d2360843214173f4ee5c4215b9430a83f1cb1967e"
            "735d861f68a13a0b497e83ba4a41c");
  ASSERT_EQ(signer.sign(vector_order(Side::kBuy), ExchangeVersion::kV3, false, so), SignStatus::kOk);
  EXPECT_EQ(to_hex(so.order_hash), "0x768c920b3b46c013e9079cf3b6c5f27fbbaeb51de03eb024d17741f0ae60f53a");
  EXPECT_EQ(sig_hex(so),
            "0x79218acca273167c23f39fc2cd76bbbfec574b0fdf44b1f4a6c98669ca954e3429f1c08113d12fac5c84dfb6ee7fd8c0fbdb2"
            "b6fca0f32c891ce2f125a9cb4c41b");
}

TEST(OrderSigner, ReproducesTheOfficialV1LegacyVectorsForReplay) {
  const Signer s = test::hardhat_signer();
  const auto d = domains(80002);
  OrderV1 o;
  o.salt = 479249096354;
  o.maker = s.address();
  o.signer = s.address();
  ASSERT_TRUE(TokenId::parse("1234", o.token_id));
  o.maker_amount = 100000000;
  o.taker_amount = 50000000;
  o.fee_rate_bps = 100;
  o.side = Side::kBuy;
  Hash256 digest = order_v1_digest(d, o, false);
  EXPECT_EQ(to_hex(digest), "0x02ca1d1aa31103804173ad1acd70066cb6c1258a4be6dada055111f9a7ea4e55");
  EXPECT_EQ(to_hex(s.sign_digest(digest).bytes),
            "0x302cd9abd0b5fcaa202a344437ec0b6660da984e24ae9ad915a592a90facf5a51bb8a873cd8d270f070217fea1986531d5eec"
            "66f1162a81f66e026db653bf7ce1c");
  digest = order_v1_digest(d, o, true);
  EXPECT_EQ(to_hex(digest), "0xf15790d3edc4b5aed427b0b543a9206fcf4b1a13dfed016d33bfb313076263b8");
  EXPECT_EQ(to_hex(s.sign_digest(digest).bytes),
            "0x1b3646ef347e5bd144c65bd3357ba19c12c12abaeedae733cf8579bc51a2752c0454c3bc6b236957e393637982c769b8dc070"
            "6c0f5c399983d933850afd1cbcd1c");
}

TEST(OrderSigner, RefusesAForeignSignerAndAnOversizedSalt) {
  const Signer s = test::hardhat_signer();
  const auto d = domains();
  const OrderSigner signer(s, d);
  SignedOrder so;
  OrderV2 o = vector_order(Side::kBuy);
  o.signer.bytes[0] ^= 1;
  EXPECT_EQ(signer.sign(o, ExchangeVersion::kV2, false, so), SignStatus::kSignerMismatch);
  o = vector_order(Side::kBuy);
  o.salt = kMaxSalt + 1;
  EXPECT_EQ(signer.sign(o, ExchangeVersion::kV2, false, so), SignStatus::kSaltTooLarge);
  EXPECT_EQ(signer.sign(vector_order(Side::kBuy), ExchangeVersion::kV1, false, so), SignStatus::kBadVersion);
}

TEST(VerifyOrderSignature, AcceptsAGenuineOrderAndRejectsTampering) {
  const Signer s = test::hardhat_signer();
  const auto d = domains();
  SignedOrder so;
  ASSERT_EQ(OrderSigner(s, d).sign(vector_order(Side::kBuy), ExchangeVersion::kV2, false, so), SignStatus::kOk);
  auto v = verify_order_signature(d, so.order, so.signature, ExchangeVersion::kV2, false);
  EXPECT_EQ(v.status, VerifyStatus::kOk);
  EXPECT_EQ(v.recovered, s.address());
  EXPECT_EQ(v.order_hash, so.order_hash);
  // Wrong exchange (neg-risk) -> recovers someone else.
  EXPECT_EQ(verify_order_signature(d, so.order, so.signature, ExchangeVersion::kV2, true).status,
            VerifyStatus::kSignerMismatch);
  OrderV2 tampered = so.order;
  tampered.maker_amount += 1;
  EXPECT_EQ(verify_order_signature(d, tampered, so.signature, ExchangeVersion::kV2, false).status,
            VerifyStatus::kSignerMismatch);
  WireSignature bad = so.signature;
  bad.bytes[64] = 5;
  EXPECT_EQ(verify_order_signature(d, so.order, bad, ExchangeVersion::kV2, false).status, VerifyStatus::kMalformed);
  bad = so.signature;
  bad.len = 64;
  EXPECT_EQ(verify_order_signature(d, so.order, bad, ExchangeVersion::kV2, false).status, VerifyStatus::kMalformed);
}

TEST(OrderSigner, WrapsPoly1271SignaturesInTheOfficialEnvelope) {
  const Signer s = test::hardhat_signer();
  const auto d = domains();
  OrderV2 o = vector_order(Side::kBuy);
  o.signature_type = SignatureType::kPoly1271;
  o.maker = parse_address("0x1111111111111111111111111111111111111111").address;
  o.signer = o.maker;
  SignedOrder so;
  ASSERT_EQ(OrderSigner(s, d).sign(o, ExchangeVersion::kV2, false, so), SignStatus::kOk);
  ASSERT_EQ(so.signature.len, 317);
  EXPECT_EQ(std::memcmp(so.signature.bytes.data() + 65, d.order_domain(ExchangeVersion::kV2, false).data(), 32), 0);
  EXPECT_EQ(so.signature.bytes[315], 0x00);
  EXPECT_EQ(so.signature.bytes[316], 0xba);  // 186
  const auto v = verify_order_signature(d, so.order, so.signature, ExchangeVersion::kV2, false);
  EXPECT_EQ(v.status, VerifyStatus::kOk);
  EXPECT_EQ(v.recovered, s.address());
  EXPECT_EQ(v.order_hash, order_digest(d, o, ExchangeVersion::kV2, false));
}

}  // namespace
}  // namespace polybot::oms
