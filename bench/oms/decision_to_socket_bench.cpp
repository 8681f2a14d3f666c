// Decision-to-socket: from an OrderRequest reaching the oms to the signed POST /order request being handed to
// the HTTPS connection (ClobGateway -> net::HttpClient::submit returned, bytes queued for the socket write), with
// and without the pre-signed cache, against the loopback venue simulator over real TLS. Baselines in the same run:
// the signature alone (what a cache hit saves) and the L2 HMAC of the body (paid on both paths).
// Each benchmark verifies its output before timing (the order must be Submitted with its venue key bound).
// Reports p50/p99/p99.9/max from a LatencyHistogram as counters (ns). The decision-to-socket benchmarks also split
// the time at the moment the request is handed to the TLS write (net::last_write_handoff_ns, taken right before
// SSL_write + send()): "engine" = decision to hand-off (oms logic, cache, gateway, request formatting), "tls_kernel"
// = hand-off to the return of the call (encryption, the send syscall with loopback's receive path, unwinding).
#include <benchmark/benchmark.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include "core/histogram.hpp"
#include "core/net/write_probe.hpp"
#include "oms/crypto/l2_auth.hpp"
#include "tests/oms/venue_fixture.hpp"

namespace polybot::oms::test {
namespace {

using ::polybot::Side;

FixtureOptions bench_options() {
  FixtureOptions o;
  o.heartbeats = false;
  o.user_channel = false;
  o.reconcile_on_start = false;
  o.unlimited_rate = true;
  o.max_orders = 1 << 16;
  return o;
}

void publish(benchmark::State& state, const char* name, const LatencyHistogram& h, const char* prefix = "") {
  const std::string p(prefix);
  state.counters[p + "p50_ns"] = static_cast<double>(h.percentile(0.50));
  state.counters[p + "p99_ns"] = static_cast<double>(h.percentile(0.99));
  if (p.empty()) {
    state.counters["p999_ns"] = static_cast<double>(h.percentile(0.999));
    state.counters["max_ns"] = static_cast<double>(h.max());
  }
  std::fprintf(stderr, "%s%s%s: n=%llu %s\n", name, p.empty() ? "" : " ", p.empty() ? "" : prefix,
               static_cast<unsigned long long>(h.count()), h.summary().c_str());
}

// The split at the TLS hand-off (see the file comment); false if the hand-off is not inside [t0, t1].
bool split(std::int64_t t0, std::int64_t t1, LatencyHistogram& engine, LatencyHistogram& tls_kernel) {
  const std::int64_t handoff = net::last_write_handoff_ns();
  if (handoff < t0 || handoff > t1) return false;
  engine.record(handoff - t0);
  tls_kernel.record(t1 - handoff);
  return true;
}

// Keeps the venue from piling up answers: drain responses between iterations (not timed).
void settle(VenueFixture& f) {
  (void)f.pump_until([&] { return f.gateway().pending() == 0; }, 2'000);
}

// state.range(0): 1 = the cached order's L2 HMACs were computed ahead on the signing thread (the default), 0 = the
// gateway computes the HMAC on the oms thread (the path before that change): the before/after in one run.
void BM_DecisionToSocket_PreSigned(benchmark::State& state) {
  FixtureOptions fo = bench_options();
  fo.l2_ahead = state.range(0) != 0;
  VenueFixture f(fo);
  fixture_check(f.ready(), "ready");
  const Price price = Price::from_raw(100'000);  // far from any match: orders rest
  f.logic().set_presign_targets(kTokenId, Side::kBuy, &price, 1, Qty::from_raw(5'000'000), ::polybot::OrderType::kGtc,
                                false);
  LatencyHistogram h, engine, tls_kernel;
  std::uint64_t id = 1;
  f.out().reports.reserve(1 << 16);  // the test collector is a vector: no growth inside the timed call
  // Verify once before timing.
  fixture_check(f.pump_until([&] { return f.logic().presign().size() == 1; }, 5'000), "presign warm");
  f.send(VenueFixture::order(id, Side::kBuy, price.raw, 5'000'000));
  fixture_check(f.state(id) == OrderState::kSubmitted && f.logic().counters().presign_hits == 1, "presigned submit");
  fixture_check(f.gateway().counters().l2_precomputed == (fo.l2_ahead ? 1u : 0u), "precomputed HMAC used");
  ++id;
  for (auto _ : state) {
    state.PauseTiming();
    settle(f);
    (void)f.pump_until([&] { return f.logic().presign().size() == 1; }, 5'000);
    const OrderRequest req = VenueFixture::order(id, Side::kBuy, price.raw, 5'000'000);
    const Envelope e = Envelope::of(req);
    state.ResumeTiming();
    const std::int64_t t0 = monotonic_ns();
    f.logic().on_input(e, f.clock(), f.out());
    const std::int64_t t1 = monotonic_ns();
    state.PauseTiming();
    if (f.state(id) != OrderState::kSubmitted) {
      state.SkipWithError("not submitted on the presigned path");
      break;
    }
    if (!split(t0, t1, engine, tls_kernel)) {
      state.SkipWithError("the request was not written during the call");
      break;
    }
    h.record(t1 - t0);
    ++id;
    state.ResumeTiming();
  }
  const char* name =
      fo.l2_ahead ? "BM_DecisionToSocket_PreSigned/l2_ahead" : "BM_DecisionToSocket_PreSigned/hmac_on_oms_thread";
  publish(state, name, h);
  publish(state, name, engine, "engine_");
  publish(state, name, tls_kernel, "tls_kernel_");
}
BENCHMARK(BM_DecisionToSocket_PreSigned)->Arg(0)->Arg(1)->Iterations(1000)->Unit(benchmark::kMicrosecond);

// A learned pre-sign target ([oms.presign_auto], on for the live oms): nothing is configured. The first order at a
// price is a miss (signed on the helper thread) and teaches the oms its key and the keys a tick either side; every
// later order there must be a cache hit. Timed as BM_DecisionToSocket_PreSigned: the orders after the first.
void BM_DecisionToSocket_LearnedTarget(benchmark::State& state) {
  FixtureOptions fo = bench_options();
  fo.presign_auto.enabled = true;
  fo.presign_auto.neighbour_ticks = 1;
  VenueFixture f(fo);
  fixture_check(f.ready(), "ready");
  const std::int64_t price = 100'000;  // far from any match: orders rest
  LatencyHistogram h, engine, tls_kernel;
  std::uint64_t id = 1;
  f.out().reports.reserve(1 << 16);
  f.send(VenueFixture::order(id, Side::kBuy, price, 5'000'000));
  fixture_check(f.pump_until([&] { return f.state(id) == OrderState::kSubmitted || f.state(id) == OrderState::kAccepted; },
                             5'000),
                "first order signed on the helper");
  fixture_check(f.logic().counters().presign_misses == 1 && f.logic().counters().presign_learned >= 1, "key learned");
  ++id;
  for (auto _ : state) {
    state.PauseTiming();
    settle(f);
    (void)f.pump_until([&] { return f.logic().presign().size() >= 3; }, 5'000);  // p and p +- 1 tick refilled
    const std::uint64_t hits = f.logic().counters().presign_hits;
    const OrderRequest req = VenueFixture::order(id, Side::kBuy, price, 5'000'000);
    const Envelope e = Envelope::of(req);
    state.ResumeTiming();
    const std::int64_t t0 = monotonic_ns();
    f.logic().on_input(e, f.clock(), f.out());
    const std::int64_t t1 = monotonic_ns();
    state.PauseTiming();
    if (f.state(id) != OrderState::kSubmitted || f.logic().counters().presign_hits != hits + 1) {
      state.SkipWithError("not submitted from a learned target");
      break;
    }
    if (!split(t0, t1, engine, tls_kernel)) {
      state.SkipWithError("the request was not written during the call");
      break;
    }
    h.record(t1 - t0);
    ++id;
    state.ResumeTiming();
  }
  publish(state, "BM_DecisionToSocket_LearnedTarget", h);
  publish(state, "BM_DecisionToSocket_LearnedTarget", engine, "engine_");
  publish(state, "BM_DecisionToSocket_LearnedTarget", tls_kernel, "tls_kernel_");
}
BENCHMARK(BM_DecisionToSocket_LearnedTarget)->Iterations(1000)->Unit(benchmark::kMicrosecond);

void BM_DecisionToSocket_SignOnHelper(benchmark::State& state) {
  VenueFixture f(bench_options());
  fixture_check(f.ready(), "ready");
  LatencyHistogram h, engine, tls_kernel;
  std::uint64_t id = 1;
  f.out().reports.reserve(1 << 16);
  f.send(VenueFixture::order(id, Side::kBuy, 100'000, 5'000'000));
  fixture_check(f.pump_until([&] { return f.state(id) == OrderState::kSubmitted || f.state(id) == OrderState::kAccepted; },
                             5'000),
                "signed submit");
  ++id;
  for (auto _ : state) {
    state.PauseTiming();
    settle(f);
    const OrderRequest req = VenueFixture::order(id, Side::kBuy, 100'000, 5'000'000);
    const Envelope e = Envelope::of(req);
    const std::uint64_t before = f.logic().counters().submitted;
    state.ResumeTiming();
    const std::int64_t t0 = monotonic_ns();
    f.logic().on_input(e, f.clock(), f.out());
    // The oms thread keeps polling (never waiting on the signer) until the signature is back and sent.
    while (f.logic().counters().submitted == before) f.logic().poll(f.clock().now_ns());
    const std::int64_t t1 = monotonic_ns();
    state.PauseTiming();
    if (!split(t0, t1, engine, tls_kernel)) {
      state.SkipWithError("the request was not written during the call");
      break;
    }
    h.record(t1 - t0);
    ++id;
    state.ResumeTiming();
  }
  publish(state, "BM_DecisionToSocket_SignOnHelper", h);
  publish(state, "BM_DecisionToSocket_SignOnHelper", engine, "engine_");
  publish(state, "BM_DecisionToSocket_SignOnHelper", tls_kernel, "tls_kernel_");
}
BENCHMARK(BM_DecisionToSocket_SignOnHelper)->Iterations(1000)->Unit(benchmark::kMicrosecond);

// Breakdown: the gateway alone (L2 headers: timestamp + HMAC over the body, then HttpClient::submit) for an
// already signed body. The same bytes every time: the venue answers "duplicated", which is not timed.
void BM_Breakdown_GatewaySendOrder(benchmark::State& state) {
  VenueFixture f(bench_options());
  fixture_check(f.ready(), "ready");
  f.send(VenueFixture::order(1, Side::kBuy, 100'000, 5'000'000));
  fixture_check(f.pump_until([&] { return f.state(1) == OrderState::kAccepted; }, 5'000), "accepted");
  // Sign one body to resend.
  SignedOrderStore store(1);
  SigningConfig sc;
  sc.owner = kApiKey;
  SigningService svc(f.order_signer(), f.markets(), store, sc, f.clock());
  SignJob j;
  j.key = SignKey{kTokenId, Side::kBuy, ::polybot::OrderType::kGtc, 0, Price::from_raw(100'000), Qty::from_raw(5'000'000)};
  fixture_check(svc.sign_now(j).outcome == SignOutcome::kOk, "sign");
  const std::string_view body = store.at(0).view();
  LatencyHistogram h;
  for (auto _ : state) {
    state.PauseTiming();
    settle(f);
    state.ResumeTiming();
    const std::int64_t t0 = monotonic_ns();
    const SendStatus s = f.gateway().send_order(ClientOrderId{999'999}, body, true);
    const std::int64_t t1 = monotonic_ns();
    state.PauseTiming();
    if (s != SendStatus::kSent) {
      state.SkipWithError("not sent");
      break;
    }
    h.record(t1 - t0);
    state.ResumeTiming();
  }
  publish(state, "BM_Breakdown_GatewaySendOrder", h);
}
BENCHMARK(BM_Breakdown_GatewaySendOrder)->Iterations(1000)->Unit(benchmark::kMicrosecond);

// Baseline: what the cache takes off the path (amounts + EIP-712 + secp256k1 + body), signed inline.
void BM_Baseline_SignOrderInline(benchmark::State& state) {
  Signer signer = hardhat_signer();
  auto domains = ExchangeDomains::make(ExchangeConfig::polygon());
  OrderSigner os(signer, *domains);
  MarketDirectory dir;
  dir.set(kTokenId, kMarket, kToken, kCondition, Price::from_raw(10'000), Qty::from_raw(5'000'000), false);
  SignedOrderStore store(4);
  LiveClock clock(0);
  SigningConfig sc;
  sc.owner = kApiKey;
  SigningService svc(os, dir, store, sc, clock);
  SignJob job;
  job.slot = 0;
  job.key = SignKey{kTokenId, Side::kBuy, ::polybot::OrderType::kGtc, 0, Price::from_raw(500'000),
                    Qty::from_raw(10'000'000)};
  if (svc.sign_now(job).outcome != SignOutcome::kOk || store.at(0).len == 0) {
    state.SkipWithError("sign_now failed");
    return;
  }
  LatencyHistogram h;
  for (auto _ : state) {
    const std::int64_t t0 = monotonic_ns();
    benchmark::DoNotOptimize(svc.sign_now(job));
    h.record(monotonic_ns() - t0);
  }
  publish(state, "BM_Baseline_SignOrderInline", h);
}
BENCHMARK(BM_Baseline_SignOrderInline)->Iterations(2000)->Unit(benchmark::kMicrosecond);

// Baseline: the L2 HMAC over a real body (paid on both paths, per request).
void BM_Baseline_L2Hmac(benchmark::State& state) {
  auto creds = ApiCredentials::make(kApiKey, kSecret, kPassphrase);
  const std::string body(720, 'x');
  const auto sig = l2_signature(creds->hmac(), 1'790'000'000, "POST", "/order", body);
  if (sig.view().size() != 44) {
    state.SkipWithError("hmac");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(l2_signature(creds->hmac(), 1'790'000'000, "POST", "/order", body));
}
BENCHMARK(BM_Baseline_L2Hmac)->Unit(benchmark::kNanosecond);

// Baseline: the kernel's part of "handed to the socket" — one send() of a request-sized buffer (1.3 KB, the size
// of a POST /order with its headers) on a loopback TCP connection with a reader thread draining the other end.
// On loopback the sending syscall also runs the receiver's TCP input path, as the TLS write above does.
void BM_Baseline_LoopbackTcpSend(benchmark::State& state) {
  const int ls = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t alen = sizeof a;
  if (ls < 0 || ::bind(ls, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(ls, 1) != 0 ||
      ::getsockname(ls, reinterpret_cast<sockaddr*>(&a), &alen) != 0) {
    state.SkipWithError("listen");
    return;
  }
  const int c = ::socket(AF_INET, SOCK_STREAM, 0);
  if (::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    state.SkipWithError("connect");
    return;
  }
  const int one = 1;
  ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const int srv = ::accept(ls, nullptr, nullptr);
  std::atomic<bool> run{true};
  std::thread reader([&] {
    char buf[65536];
    while (run.load(std::memory_order_relaxed) && ::recv(srv, buf, sizeof buf, 0) > 0) {
    }
  });
  const std::string payload(1300, 'x');
  LatencyHistogram h;
  for (auto _ : state) {
    const std::int64_t t0 = monotonic_ns();
    const ssize_t n = ::send(c, payload.data(), payload.size(), 0);
    h.record(monotonic_ns() - t0);
    if (n != static_cast<ssize_t>(payload.size())) {
      state.SkipWithError("short send");
      break;
    }
    state.PauseTiming();
    std::this_thread::sleep_for(std::chrono::microseconds(50));  // like the orders: one at a time
    state.ResumeTiming();
  }
  run.store(false);
  ::shutdown(c, SHUT_RDWR);
  reader.join();
  ::close(c);
  ::close(srv);
  ::close(ls);
  publish(state, "BM_Baseline_LoopbackTcpSend", h);
}
BENCHMARK(BM_Baseline_LoopbackTcpSend)->Iterations(1000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace polybot::oms::test

BENCHMARK_MAIN();
