// The order hot path — amounts, EIP-712 hash, secp256k1 sign, body serialisation, L2 HMAC — performs no heap
// allocation after warm-up: a counting global operator new proves it.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "oms/crypto/l2_auth.hpp"
#include "oms/order/order_body.hpp"
#include "oms/order/order_builder.hpp"
#include "oms/order/order_signer.hpp"
#include "oms/secrets/api_credentials.hpp"
#include "tests/oms/test_keys.hpp"

namespace {
std::atomic<long> g_allocations{0};
}

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace polybot::oms {
namespace {

TEST(HotPath, SignsSerialisesAndAuthenticatesOrdersWithoutAllocating) {
  const Signer signer = test::hardhat_signer();
  const auto domains = ExchangeDomains::make(ExchangeConfig::polygon()).value();
  const auto creds = ApiCredentials::make("00000000-0000-0000-0000-000000000000",
                                          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "p")
                         .value();
  const OrderSigner order_signer(signer, domains);
  OrderSpec spec;
  ASSERT_TRUE(TokenId::parse("71321045679252212594626385532706912750332728571942532289631379312455583992563",
                             spec.token_id));
  spec.tick = TickSize::k0_01;
  spec.price = Price::parse("0.55").value();
  spec.size = Qty::parse("10").value();
  spec.timestamp_ms = 1790000000000;
  const AmountLimits limits{};
  const OrderBodyOptions opt{creds.api_key(), OrderType::kGtc, false, false};
  char buf[kMaxOrderBodySize];

  const auto run = [&](std::uint64_t i) {
    spec.salt = 1000 + i;
    spec.side = (i % 2 == 0) ? Side::kBuy : Side::kSell;
    spec.signature_type = (i % 3 == 0) ? SignatureType::kPoly1271 : SignatureType::kEoa;
    spec.has_funder = spec.signature_type == SignatureType::kPoly1271;
    auto order = make_order(spec, signer.address(), limits);
    SignedOrder so;
    if (!order || order_signer.sign(*order, ExchangeVersion::kV2, i % 4 == 0, so) != SignStatus::kOk) return false;
    const std::size_t n = write_order_body(so, opt, buf, sizeof buf);
    const L2Signature sig = l2_signature(creds.hmac(), 1790000000 + i, "POST", "/order", std::string_view(buf, n));
    return n > 0 && sig.text[43] == '=';
  };
  ASSERT_TRUE(run(0));  // warm-up: function-local statics (type hashes), the thread's checksum memo
  const long before = g_allocations.load();
  ASSERT_GT(before, 0) << "the counting operator new is not in use";
  bool ok = true;
  for (std::uint64_t i = 1; i <= 200; ++i) ok &= run(i);
  EXPECT_TRUE(ok);
  EXPECT_EQ(g_allocations.load() - before, 0);
}

}  // namespace
}  // namespace polybot::oms
