#include "core/net/server.hpp"

#include <gtest/gtest.h>

#include "tests/net/net_test_support.hpp"

namespace polybot::net {
namespace {

using testing::client_tls;
using testing::pki;
using testing::RecordingHttpHandler;
using testing::RecordingWsHandler;
using testing::tls_server_config;

TEST(Server, ReportsEphemeralPortAndRefusesSecondBindOnIt) {
  Server a(tls_server_config());
  auto port = a.start();
  ASSERT_TRUE(port);
  EXPECT_NE(port.value(), 0);
  EXPECT_EQ(a.port(), port.value());
  Server b(tls_server_config(pki().server, port.value()));
  auto second = b.start();
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error(), NetError::kBind);
}

TEST(Server, RefusesBadCertificateConfigAtStart) {
  ServerConfig c = tls_server_config();
  c.tls_options.private_key_pem = "not a key";
  Server s(c);
  auto r = s.start();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), NetError::kTlsSetup);
}

TEST(Server, RoutesByMethodWithWildcardAndFallback) {
  Server s(tls_server_config());
  s.route("GET", "/book", [](const ServerRequest& r, ServerResponse& res) { res.body = "book " + std::string(r.query); });
  s.route("*", "/any", [](const ServerRequest& r, ServerResponse& res) { res.body = std::string(r.method); });
  s.fallback([](const ServerRequest&, ServerResponse& res) {
    res.status = 418;
    res.body = "fallback";
  });
  const auto port = s.start().value();
  IoLoop loop;
  auto tls = client_tls();
  RecordingHttpHandler h;
  HttpClientConfig cfg;
  cfg.base_url = "https://localhost:" + std::to_string(port);
  auto c = HttpClient::create(loop, &tls, cfg, h).value();
  ASSERT_EQ(c->submit({.method = HttpMethod::kGet, .target = "/book?token_id=1", .tag = 1}), NetError::kOk);
  ASSERT_EQ(c->submit({.method = HttpMethod::kPatch, .target = "/any", .body = "{}", .tag = 2}), NetError::kOk);
  ASSERT_EQ(c->submit({.method = HttpMethod::kPost, .target = "/book", .body = "{}", .tag = 3}), NetError::kOk);
  ASSERT_TRUE(loop.run_until([&] { return h.results.size() == 3; }, 5'000));
  EXPECT_EQ(h.results[0].body, "book token_id=1");
  EXPECT_EQ(h.results[1].body, "PATCH");
  EXPECT_EQ(h.results[2].status, 418);
  EXPECT_EQ(h.results[2].body, "fallback");
}

TEST(Server, CountsRefusedTlsHandshakes) {
  Server s(tls_server_config());
  const auto port = s.start().value();
  auto other = TestPki::create("another CA").value();
  IoLoop loop;
  auto tls = client_tls(other.ca_cert_pem);
  RecordingHttpHandler h;
  HttpClientConfig cfg;
  cfg.base_url = "https://localhost:" + std::to_string(port);
  cfg.keep_warm = false;
  auto c = HttpClient::create(loop, &tls, cfg, h).value();
  ASSERT_EQ(c->submit({.target = "/", .tag = 1}), NetError::kOk);
  ASSERT_TRUE(loop.run_until([&] { return !h.results.empty(); }, 5'000));
  EXPECT_EQ(h.results[0].error, NetError::kCertificate);
  EXPECT_TRUE(loop.run_until([&] { return s.counters().tls_handshakes_failed == 1; }, 2'000));
}

TEST(Server, TracksWebSocketSessionsAndCallsOnClose) {
  Server s(tls_server_config());
  std::atomic<int> opened{0};
  std::atomic<int> closed{0};
  std::atomic<int> messages{0};
  s.websocket("/ws/user", WsRoute{.on_open = [&](const WsSessionPtr&) { opened.fetch_add(1); },
                                  .on_message = [&](const WsSessionPtr&, std::string_view, bool) { messages.fetch_add(1); },
                                  .on_close = [&](const WsSessionPtr&) { closed.fetch_add(1); }});
  const auto port = s.start().value();
  IoLoop loop;
  auto tls = client_tls();
  RecordingWsHandler h;
  h.send_on_open = {R"({"type":"user"})"};
  WsClientConfig cfg;
  cfg.url = "wss://localhost:" + std::to_string(port) + "/ws/user?x=1";
  auto c = WsClient::create(loop, &tls, cfg, h).value();
  c->start();
  ASSERT_TRUE(loop.run_until([&] { return messages.load() == 1; }, 5'000));
  ASSERT_EQ(s.sessions().size(), 1U);
  EXPECT_EQ(s.sessions()[0]->path(), "/ws/user?x=1");
  EXPECT_TRUE(s.sessions()[0]->open());
  c->stop();
  ASSERT_TRUE(loop.run_until([&] { return closed.load() == 1; }, 5'000));
  EXPECT_TRUE(s.sessions().empty());
  EXPECT_EQ(s.counters().ws_sessions, 1U);
  EXPECT_EQ(opened.load(), 1);
}

TEST(Server, UnknownWebSocketPathIsRefused) {
  Server s(tls_server_config());
  const auto port = s.start().value();
  IoLoop loop;
  auto tls = client_tls();
  RecordingWsHandler h;
  WsClientConfig cfg;
  cfg.url = "wss://localhost:" + std::to_string(port) + "/nope";
  cfg.reconnect = false;
  auto c = WsClient::create(loop, &tls, cfg, h).value();
  c->start();
  ASSERT_TRUE(loop.run_until([&] { return !h.disconnects.empty(); }, 5'000));
  EXPECT_EQ(h.disconnects[0].reason, NetError::kWsHandshake) << h.disconnect_details[0];
}

}  // namespace
}  // namespace polybot::net
