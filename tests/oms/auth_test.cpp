#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "oms/crypto/base64.hpp"
#include "oms/crypto/l1_auth.hpp"
#include "oms/crypto/l2_auth.hpp"
#include "oms/order/exchange_config.hpp"
#include "oms/secrets/api_credentials.hpp"
#include "tests/oms/test_hex.hpp"
#include "tests/oms/test_keys.hpp"

namespace polybot::oms {
namespace {

using test::to_hex;

constexpr std::string_view kZeroSecret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
constexpr std::string_view kA4Body =
    R"({"deferExec":false,"postOnly":false,"order":{"salt":479249096354,"maker":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","signer":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","tokenId":"1234","makerAmount":"5500000","takerAmount":"10000000","side":"BUY","signatureType":0,"timestamp":"1790000000000","expiration":"0","metadata":"0x0000000000000000000000000000000000000000000000000000000000000000","builder":"0x0000000000000000000000000000000000000000000000000000000000000000","signature":"0x77b38595604a220bbf96a0ed42d5d874248bdccce1b90ff87a955961bf0425395116fbf14ffabeddebc51e477123551b53f5d78962d66d397def1abf5327d2061b"},"owner":"00000000-0000-0000-0000-000000000000","orderType":"GTC"})";

HmacSha256 zero_key() {
  auto c = ApiCredentials::make("k", kZeroSecret, "p");
  return c->hmac();
}

TEST(L2Signature, ReproducesTheOfficialTestVector) {
  EXPECT_EQ(l2_signature(zero_key(), 1000000, "test-sign", "/orders", R"({"hash": "0x123"})").view(),
            "ZwAdJKvoYRlEKDkNMwd5BuwNNtg93kNaR_oU2HrfVvc=");
}

TEST(L2Signature, ReproducesTheProtocolNoteVectors) {
  const HmacSha256 k = zero_key();
  EXPECT_EQ(l2_signature(k, 1700000000, "GET", "/data/orders", "").view(),
            "m6lGS9WyES7JjpAYNd7zIdW5bfHxAAI_pIa1St9vLO4=");
  EXPECT_EQ(l2_signature(k, 1700000000, "DELETE", "/cancel-all", "").view(),
            "8VUKI2AEYjmyVeNfWGlCKhni-bOTLBi8KuegA7RDrxU=");
  EXPECT_EQ(l2_signature(k, 1700000000, "DELETE", "/order", R"({"orderID":"0xabc"})").view(),
            "ebd_Mp184tE7Z6KPR1h4np8gSxcgEPZ7MeKtDjVwf2g=");
  EXPECT_EQ(l2_signature(k, 1700000000, "POST", "/v1/heartbeats", R"({"heartbeat_id":""})").view(),
            "-PUdMuGD63fwGrjfWWDTMme64hsoU-TNjWB7GroYNmo=");
  EXPECT_EQ(l2_signature(k, 1790000000, "GET", "/data/orders", "").view(),
            "n8brYKOm58rtu76EUdgFF_9GP1T5UE_cUHpBcAl5nYc=");
  EXPECT_EQ(l2_signature(k, 1790000000, "POST", "/order", kA4Body).view(),
            "JcmTiSG0jomsmUV0fU79emUTsBgLGGCCatFacTL61JU=");
}

TEST(L2Signature, DecodesUnpaddedAndStandardAlphabetSecretsAlike) {
  // 0xfb 0xff bytes produce '-'/'_' in URL-safe and '+'/'/' in standard base64.
  auto a = ApiCredentials::make("k", "-_-_", "p");
  auto b = ApiCredentials::make("k", "+/+/", "p");
  auto c = ApiCredentials::make("k", "-_-_AQ", "p");  // unpadded, 4 bytes
  auto d = ApiCredentials::make("k", "-_-_AQ==", "p");
  ASSERT_TRUE(a && b && c && d);
  EXPECT_EQ(l2_signature(a->hmac(), 1, "GET", "/", "").view(), l2_signature(b->hmac(), 1, "GET", "/", "").view());
  EXPECT_EQ(l2_signature(c->hmac(), 1, "GET", "/", "").view(), l2_signature(d->hmac(), 1, "GET", "/", "").view());
  EXPECT_NE(l2_signature(a->hmac(), 1, "GET", "/", "").view(), l2_signature(c->hmac(), 1, "GET", "/", "").view());
}

TEST(Base64, EncodesUrlSafeKeepingPadding) {
  const std::uint8_t data[] = {0xfb, 0xff, 0xbf, 0x01};
  char out[8];
  ASSERT_EQ(base64url_encode_padded(data, 4, out), 8u);
  EXPECT_EQ(std::string_view(out, 8), "-_-_AQ==");
  std::uint8_t back[8];
  std::size_t n = 0;
  ASSERT_TRUE(base64_decode_any("-_-_AQ==", back, sizeof back, n));
  ASSERT_EQ(n, 4u);
  EXPECT_EQ(std::memcmp(back, data, 4), 0);
  EXPECT_FALSE(base64_decode_any("abc*", back, sizeof back, n));
  EXPECT_FALSE(base64_decode_any("a", back, sizeof back, n));
}

TEST(ClobAuth, ReproducesTheOfficialAmoyVector) {
  const Signer s = test::hardhat_signer();
  auto d = ExchangeDomains::make(ExchangeConfig::amoy());
  ASSERT_TRUE(d);
  const L1Headers h = make_l1_headers(s, d->auth_domain(), d->auth_message(), 10000000, 23);
  EXPECT_EQ(to_hex(h.signature.bytes),
            "0xf62319a987514da40e57e2f4d7529f7bac38f0355bd88bb5adbb3768d80de6c1682518e0af677d5260366425f4361e7b70c25"
            "ae232aff0ab2331e2b164a1aedc1b");
}

TEST(ClobAuth, ReproducesThePolygonDigestAndSignature) {
  const Signer s = test::hardhat_signer();
  auto d = ExchangeDomains::make(ExchangeConfig::polygon());
  ASSERT_TRUE(d);
  EXPECT_EQ(to_hex(clob_auth_digest(d->auth_domain(), s.address(), 1700000000, 0, d->auth_message())),
            "0xc85352894b3c41f3ea6152479d64b9233fbaf2de87eabc7e4bba3a161fd28493");
  const L1Headers h = make_l1_headers(s, d->auth_domain(), d->auth_message(), 1700000000, 0);
  EXPECT_EQ(to_hex(h.signature.bytes),
            "0x659ed4b28ae28e0f038fdf0023c00863c9559caacb9ebc83f44eea87059a099a36f1e1dee110e7faa1c4f65d17489b2da133"
            "3ebef78bbe2116d81207b975052d1c");
  auto rec = recover_address(clob_auth_digest(d->auth_domain(), s.address(), 1700000000, 0, d->auth_message()),
                             h.signature.bytes.data());
  ASSERT_TRUE(rec);
  EXPECT_EQ(*rec, s.address());
}

}  // namespace
}  // namespace polybot::oms
