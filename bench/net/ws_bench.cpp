// Question: what does a WebSocket round trip cost through WsClient (client polled with IoLoop::poll(), echo on
// the Server's thread), over TLS versus plain ws:// (the baseline), and what does receiving a pushed frame cost?
// Loopback only: measures our stack + Beast + OpenSSL + two thread hand-offs, not a network.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>

#include "core/net/io_loop.hpp"
#include "core/net/server.hpp"
#include "core/net/test_pki.hpp"
#include "core/net/tls_context.hpp"
#include "core/net/ws_client.hpp"

namespace {

using namespace polybot::net;

const TestPki& pki() {
  static const TestPki p = TestPki::create().value();
  return p;
}

struct Echo : WsHandler {
  std::size_t received = 0;
  std::string last;
  bool open = false;
  void on_open(WsClient&, bool) noexcept override { open = true; }
  void on_frame(WsClient&, const WsFrame& f) noexcept override {
    ++received;
    if (last.empty()) last.assign(f.data);
  }
  void on_disconnect(WsClient&, const WsDisconnect&) noexcept override { open = false; }
};

struct Rig {
  explicit Rig(bool tls_on) {
    ServerConfig sc;
    sc.tls = tls_on;
    sc.tls_options = {pki().server.cert_pem, pki().server.key_pem};
    server = std::make_unique<Server>(sc);
    server->websocket("/ws", WsRoute{.on_open = nullptr,
                                     .on_message = [](const WsSessionPtr& s, std::string_view d,
                                                      bool) { s->send_text(std::string(d)); },
                                     .on_close = nullptr});
    const auto port = server->start().value();
    TlsClientOptions o;
    o.use_system_trust = false;
    o.extra_ca_pem = pki().ca_cert_pem;
    tls = std::make_unique<TlsClientContext>(TlsClientContext::create(o).value());
    WsClientConfig cfg;
    cfg.url = std::string(tls_on ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(port) + "/ws";
    client = WsClient::create(loop, tls.get(), cfg, handler).value();
    client->start();
    loop.run_until([&] { return handler.open; }, 5'000);
  }
  IoLoop loop;
  std::unique_ptr<Server> server;
  std::unique_ptr<TlsClientContext> tls;
  Echo handler;
  std::unique_ptr<WsClient> client;
};

void round_trip(benchmark::State& state, bool tls_on) {
  Rig rig(tls_on);
  const std::string payload(static_cast<std::size_t>(state.range(0)), 'x');
  // Verify before timing: the echo comes back intact.
  (void)rig.client->send_text(payload);
  rig.loop.run_until([&] { return rig.handler.received == 1; }, 5'000);
  if (rig.handler.last != payload) {
    state.SkipWithError("echo mismatch");
    return;
  }
  for (auto _ : state) {
    const std::size_t want = rig.handler.received + 1;
    (void)rig.client->send_text(payload);
    while (rig.handler.received < want) rig.loop.poll();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0) * 2);
}

void BM_WsRoundTripPlain(benchmark::State& s) { round_trip(s, false); }
void BM_WsRoundTripTls(benchmark::State& s) { round_trip(s, true); }
BENCHMARK(BM_WsRoundTripPlain)->Arg(64)->Arg(1024)->UseRealTime();
BENCHMARK(BM_WsRoundTripTls)->Arg(64)->Arg(1024)->UseRealTime();

// Receive throughput: the server pushes a burst of frames, the client drains them with poll().
void push(benchmark::State& state, bool tls_on) {
  Rig rig(tls_on);
  const std::string frame(static_cast<std::size_t>(state.range(0)), 'y');
  constexpr int kBurst = 1000;
  for (auto _ : state) {
    const std::size_t want = rig.handler.received + kBurst;
    for (int i = 0; i < kBurst; ++i) rig.server->broadcast_text("/ws", frame);
    while (rig.handler.received < want) rig.loop.poll();
  }
  if (rig.handler.last.size() != frame.size()) state.SkipWithError("frame size mismatch");
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * kBurst);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * kBurst * state.range(0));
}
void BM_WsPushPlain(benchmark::State& s) { push(s, false); }
void BM_WsPushTls(benchmark::State& s) { push(s, true); }
BENCHMARK(BM_WsPushPlain)->Arg(300)->UseRealTime();
BENCHMARK(BM_WsPushTls)->Arg(300)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
