// How fast is signing an order, end to end and per step, and how does each step compare with a baseline?
//   Keccak-256 (ours) vs OpenSSL SHA3-256 (same rounds, NIST padding) on the 384-byte V2 order encoding;
//   EIP-712 struct hash + digest; secp256k1 recoverable sign (libsecp256k1, RFC 6979);
//   L2 HMAC (precomputed key states) vs OpenSSL's one-shot HMAC();
//   POST /order body into a caller buffer vs nlohmann-json building and dumping the same object;
//   the full hot path (amounts -> sign -> body -> HMAC) with p50/p99 from per-iteration timing.
// Every benchmark checks its output against a vector before timing.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "oms/crypto/base64.hpp"
#include "oms/crypto/hex.hpp"
#include "oms/crypto/l2_auth.hpp"
#include "oms/order/order_body.hpp"
#include "oms/order/order_builder.hpp"
#include "oms/order/order_signer.hpp"
#include "oms/secrets/api_credentials.hpp"

namespace {

using namespace polybot;
using namespace polybot::oms;

constexpr std::string_view kKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr std::string_view kA4Body =
    R"({"deferExec":false,"postOnly":false,"order":{"salt":479249096354,"maker":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","signer":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","tokenId":"1234","makerAmount":"5500000","takerAmount":"10000000","side":"BUY","signatureType":0,"timestamp":"1790000000000","expiration":"0","metadata":"0x0000000000000000000000000000000000000000000000000000000000000000","builder":"0x0000000000000000000000000000000000000000000000000000000000000000","signature":"0x77b38595604a220bbf96a0ed42d5d874248bdccce1b90ff87a955961bf0425395116fbf14ffabeddebc51e477123551b53f5d78962d66d397def1abf5327d2061b"},"owner":"00000000-0000-0000-0000-000000000000","orderType":"GTC"})";
constexpr std::string_view kA4Hmac = "JcmTiSG0jomsmUV0fU79emUTsBgLGGCCatFacTL61JU=";
constexpr std::string_view kZeroSecret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
constexpr std::string_view kOwner = "00000000-0000-0000-0000-000000000000";

struct Fixture {
  Signer signer = std::move(Signer::make(std::move(PrivateKey::from_hex(kKey, "bench").value())).value());
  ExchangeDomains domains = std::move(ExchangeDomains::make(ExchangeConfig::polygon())).value();
  ApiCredentials creds = std::move(ApiCredentials::make(kOwner, kZeroSecret, "p")).value();
  OrderV2 order;
  std::vector<std::uint8_t> encoding;  // typehash || 11 words: what Keccak hashes for the struct hash

  Fixture() {
    order.salt = 479249096354;
    order.maker = signer.address();
    order.signer = signer.address();
    (void)TokenId::parse("1234", order.token_id);
    order.maker_amount = 5500000;
    order.taker_amount = 10000000;
    order.timestamp_ms = 1790000000000;
    encoding.resize(12 * 32, 0);
  }
};

Fixture& fx() {
  static Fixture f;
  return f;
}

std::string hex(const Hash256& h) {
  char out[64];
  write_hex(h.data(), h.size(), out);
  return std::string(out, 64);
}

void BM_Keccak256_OrderEncoding(benchmark::State& state) {
  auto& f = fx();
  if (hex(keccak256("abc")) != "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45") {
    state.SkipWithError("keccak256 mismatch");
    return;
  }
  for (auto _ : state) {
    Hash256 h = keccak256(f.encoding.data(), f.encoding.size());
    benchmark::DoNotOptimize(h);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.encoding.size()));
}
BENCHMARK(BM_Keccak256_OrderEncoding);

void BM_Baseline_OpenSslSha3_256_OrderEncoding(benchmark::State& state) {
  auto& f = fx();
  const EVP_MD* md = EVP_sha3_256();
  for (auto _ : state) {
    unsigned char out[32];
    unsigned int len = 0;
    EVP_Digest(f.encoding.data(), f.encoding.size(), out, &len, md, nullptr);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.encoding.size()));
}
BENCHMARK(BM_Baseline_OpenSslSha3_256_OrderEncoding);

void BM_Eip712_OrderDigest(benchmark::State& state) {
  auto& f = fx();
  if (hex(order_digest(f.domains, f.order, ExchangeVersion::kV2, false)) !=
      "327075f2e76aed3657a5b1776d57182944b825225572f9c06e645a137a5f9e56") {
    state.SkipWithError("digest mismatch");
    return;
  }
  for (auto _ : state) {
    Hash256 h = order_digest(f.domains, f.order, ExchangeVersion::kV2, false);
    benchmark::DoNotOptimize(h);
  }
}
BENCHMARK(BM_Eip712_OrderDigest);

void BM_Secp256k1_SignDigest(benchmark::State& state) {
  auto& f = fx();
  const Hash256 digest = order_digest(f.domains, f.order, ExchangeVersion::kV2, false);
  const Signature65 sig = f.signer.sign_digest(digest);
  char h[130];
  write_hex(sig.bytes.data(), 65, h);
  if (std::string_view(h, 130) !=
      "77b38595604a220bbf96a0ed42d5d874248bdccce1b90ff87a955961bf0425395116fbf14ffabeddebc51e477123551b53f5d78962d66d"
      "397def1abf5327d2061b") {
    state.SkipWithError("signature mismatch");
    return;
  }
  for (auto _ : state) {
    Signature65 s = f.signer.sign_digest(digest);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_Secp256k1_SignDigest);

void BM_Secp256k1_RecoverAddress(benchmark::State& state) {
  auto& f = fx();
  const Hash256 digest = order_digest(f.domains, f.order, ExchangeVersion::kV2, false);
  const Signature65 sig = f.signer.sign_digest(digest);
  if (!(recover_address(digest, sig.bytes.data()).value() == f.signer.address())) {
    state.SkipWithError("recover mismatch");
    return;
  }
  for (auto _ : state) {
    auto a = recover_address(digest, sig.bytes.data());
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_Secp256k1_RecoverAddress);

void BM_L2Hmac_OrderBody(benchmark::State& state) {
  auto& f = fx();
  if (l2_signature(f.creds.hmac(), 1790000000, "POST", "/order", kA4Body).view() != kA4Hmac) {
    state.SkipWithError("hmac mismatch");
    return;
  }
  for (auto _ : state) {
    L2Signature s = l2_signature(f.creds.hmac(), 1790000000, "POST", "/order", kA4Body);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_L2Hmac_OrderBody);

void BM_Baseline_OpenSslOneShotHmac_OrderBody(benchmark::State& state) {
  const std::uint8_t key[32] = {};
  std::string msg = "1790000000POST/order";
  msg += kA4Body;
  for (auto _ : state) {
    unsigned char out[32];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key, sizeof key, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), out, &len);
    char b64[44];
    base64url_encode_padded(out, 32, b64);
    benchmark::DoNotOptimize(b64);
  }
}
BENCHMARK(BM_Baseline_OpenSslOneShotHmac_OrderBody);

SignedOrder signed_a4() {
  auto& f = fx();
  SignedOrder so;
  (void)OrderSigner(f.signer, f.domains).sign(f.order, ExchangeVersion::kV2, false, so);
  return so;
}

void BM_OrderBody_Serialise(benchmark::State& state) {
  const SignedOrder so = signed_a4();
  char buf[kMaxOrderBodySize];
  const OrderBodyOptions opt{kOwner, OrderType::kGtc, false, false};
  if (std::string_view(buf, write_order_body(so, opt, buf, sizeof buf)) != kA4Body) {
    state.SkipWithError("body mismatch");
    return;
  }
  for (auto _ : state) {
    std::size_t n = write_order_body(so, opt, buf, sizeof buf);
    benchmark::DoNotOptimize(n);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kA4Body.size()));
}
BENCHMARK(BM_OrderBody_Serialise);

void BM_Baseline_NlohmannJson_OrderBody(benchmark::State& state) {
  const SignedOrder so = signed_a4();
  const auto& o = so.order;
  char addr[Address::kHexLen];
  o.maker.write_checksummed(addr);
  const std::string maker(addr, sizeof addr);
  char sig[130];
  write_hex(so.signature.bytes.data(), 65, sig);
  const std::string zero = "0x" + std::string(64, '0');
  const auto build = [&] {
    nlohmann::ordered_json j;
    j["deferExec"] = false;
    j["postOnly"] = false;
    auto& oj = j["order"];
    oj["salt"] = o.salt;
    oj["maker"] = maker;
    oj["signer"] = maker;
    oj["tokenId"] = std::string(o.token_id.text());
    oj["makerAmount"] = std::to_string(o.maker_amount);
    oj["takerAmount"] = std::to_string(o.taker_amount);
    oj["side"] = "BUY";
    oj["signatureType"] = 0;
    oj["timestamp"] = std::to_string(o.timestamp_ms);
    oj["expiration"] = std::to_string(o.expiration_s);
    oj["metadata"] = zero;
    oj["builder"] = zero;
    oj["signature"] = "0x" + std::string(sig, 130);
    j["owner"] = std::string(kOwner);
    j["orderType"] = "GTC";
    return j.dump();
  };
  if (build() != kA4Body) {
    state.SkipWithError("nlohmann body mismatch");
    return;
  }
  for (auto _ : state) {
    std::string s = build();
    benchmark::DoNotOptimize(s);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kA4Body.size()));
}
BENCHMARK(BM_Baseline_NlohmannJson_OrderBody);

// The whole hot path for one order: amounts from price/size, EIP-712 hash, sign, body, L2 HMAC of the body.
void BM_FullOrderPath(benchmark::State& state) {
  auto& f = fx();
  const OrderSigner signer(f.signer, f.domains);
  OrderSpec spec;
  spec.token_id = f.order.token_id;
  spec.side = Side::kBuy;
  spec.tick = TickSize::k0_01;
  spec.price = Price::parse("0.55").value();
  spec.size = Qty::parse("10").value();
  spec.salt = 479249096354;
  spec.timestamp_ms = 1790000000000;
  const AmountLimits limits{};
  const OrderBodyOptions opt{kOwner, OrderType::kGtc, false, false};
  char buf[kMaxOrderBodySize];
  const auto once = [&](L2Signature& hmac) -> std::size_t {
    auto order = make_order(spec, f.signer.address(), limits);
    SignedOrder so;
    (void)signer.sign(*order, ExchangeVersion::kV2, false, so);
    const std::size_t n = write_order_body(so, opt, buf, sizeof buf);
    hmac = l2_signature(f.creds.hmac(), 1790000000, "POST", "/order", std::string_view(buf, n));
    return n;
  };
  L2Signature h;
  const std::size_t n = once(h);
  if (std::string_view(buf, n) != kA4Body || h.view() != kA4Hmac) {
    state.SkipWithError("full path mismatch");
    return;
  }
  std::vector<std::int64_t> ns;
  ns.reserve(1 << 20);
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(once(h));
    const auto t1 = std::chrono::steady_clock::now();
    if (ns.size() < ns.capacity()) ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
  }
  std::sort(ns.begin(), ns.end());
  if (!ns.empty()) {
    state.counters["p50_ns"] = static_cast<double>(ns[ns.size() / 2]);
    state.counters["p99_ns"] = static_cast<double>(ns[ns.size() * 99 / 100]);
    state.counters["max_ns"] = static_cast<double>(ns.back());
  }
}
BENCHMARK(BM_FullOrderPath);

}  // namespace

BENCHMARK_MAIN();
