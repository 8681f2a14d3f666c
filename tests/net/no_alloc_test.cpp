// Counts heap allocations made on the test (client) thread while an open WsClient / HttpClient exchanges
// traffic after warm-up. The server runs on its own thread and is not counted.
#include <gtest/gtest.h>

#include "tests/net/net_test_support.hpp"
#include "tests/support/alloc_counter.hpp"

namespace polybot::net {
namespace {

using testing::client_tls;
using testing::tls_server_config;

// Echo ping-pong: every frame received is sent back, until `limit` frames were seen.
struct PingPong : WsHandler {
  std::size_t received = 0;
  std::size_t limit = 0;
  int opens = 0;
  int disconnects = 0;
  void on_open(WsClient&, bool) noexcept override { ++opens; }
  void on_frame(WsClient& c, const WsFrame& f) noexcept override {
    ++received;
    if (received < limit) (void)c.send_text(f.data);
  }
  void on_disconnect(WsClient&, const WsDisconnect&) noexcept override { ++disconnects; }
};

TEST(WsClientAllocations, OpenSessionDoesNotAllocateAfterWarmUp) {
  Server server(tls_server_config());
  server.websocket("/ws", WsRoute{.on_open = nullptr,
                                  .on_message =
                                      [](const WsSessionPtr& s, std::string_view d, bool) {
                                        s->send_text(d == "PING" ? std::string("PONG") : std::string(d));
                                      },
                                  .on_close = nullptr});
  const auto port = server.start().value();
  IoLoop loop;
  auto tls = client_tls();
  PingPong h;
  WsClientConfig cfg;
  cfg.url = "wss://localhost:" + std::to_string(port) + "/ws";
  cfg.keepalive.app_ping_interval_ms = 5;  // keep-alive timers and pings are part of steady state
  cfg.keepalive.ws_ping_interval_ms = 7;
  cfg.keepalive.dead_after_ms = 5'000;
  auto c = WsClient::create(loop, &tls, cfg, h).value();
  c->start();
  ASSERT_TRUE(loop.run_until([&] { return h.opens == 1; }, 5'000));

  h.limit = 300;
  ASSERT_EQ(c->send_text(R"({"event_type":"price_change","price":"0.51"})"), NetError::kOk);
  ASSERT_TRUE(loop.run_until([&] { return h.received >= 300; }, 10'000));  // warm-up

  h.received = 0;
  h.limit = 2'000;
  t_allocations = 0;
  t_counting = true;
  (void)c->send_text(R"({"event_type":"price_change","price":"0.52"})");
  const auto deadline = io_loop_now_ms() + 20'000;
  while (h.received < 2'000 && io_loop_now_ms() < deadline) loop.poll();
  t_counting = false;
  ASSERT_GE(h.received, 2'000U);
  EXPECT_EQ(h.disconnects, 0);
  EXPECT_GT(c->counters().pongs_rx, 0U);
  EXPECT_EQ(t_allocations, 0U) << "allocations on the client thread during 2000 round trips";
}

struct Counter : HttpHandler {
  std::size_t ok = 0;
  void on_response(HttpClient&, std::uint64_t, const HttpResponse& r) noexcept override {
    ok += r.error == NetError::kOk && r.status == 200;
  }
};

TEST(HttpClientAllocations, KeepAliveRequestsDoNotAllocateAfterWarmUp) {
  Server server(tls_server_config());
  server.route("POST", "/order", [](const ServerRequest&, ServerResponse& res) {
    res.body = R"({"success":true,"orderID":"0xabc","status":"live"})";
  });
  const auto port = server.start().value();
  IoLoop loop;
  auto tls = client_tls();
  Counter h;
  HttpClientConfig cfg;
  cfg.base_url = "https://localhost:" + std::to_string(port);
  auto c = HttpClient::create(loop, &tls, cfg, h).value();
  c->start();
  const HttpHeader auth[] = {{"POLY_ADDRESS", "0x1"}, {"POLY_SIGNATURE", "s"}, {"POLY_TIMESTAMP", "1"}};
  const HttpRequest req{.method = HttpMethod::kPost, .target = "/order", .headers = auth, .body = R"({"order":{}})"};
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(c->submit(req), NetError::kOk);
    ASSERT_TRUE(loop.run_until([&] { return h.ok == static_cast<std::size_t>(i + 1); }, 5'000));
  }
  constexpr int kN = 200;
  t_allocations = 0;
  t_counting = true;
  for (int i = 0; i < kN; ++i) {
    (void)c->submit(req);
    const auto want = static_cast<std::size_t>(51 + i);
    while (h.ok < want) loop.poll();
  }
  t_counting = false;
  EXPECT_EQ(h.ok, 50U + kN);
  // Response header fields live in a per-response arena; the request is serialized into a preallocated slot.
  const double per_request = static_cast<double>(t_allocations) / kN;
  std::printf("HttpClient allocations per request after warm-up: %.2f\n", per_request);
  EXPECT_EQ(t_allocations, 0U);
}

}  // namespace
}  // namespace polybot::net
