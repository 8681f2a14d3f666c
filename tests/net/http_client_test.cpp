#include "core/net/http_client.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "tests/net/net_test_support.hpp"

namespace polybot::net {
namespace {

using testing::client_tls;
using testing::pki;
using testing::RecordingHttpHandler;
using testing::tls_server_config;

// Echo route: answers with method, path, query, one request header and the body, so the test can see exactly
// what went over the wire.
void add_routes(Server& server) {
  server.route("*", "/echo", [](const ServerRequest& req, ServerResponse& res) {
    res.body = std::string(req.method) + " " + std::string(req.path) + "?" + std::string(req.query) + " " +
               std::string(req.header("POLY_API_KEY")) + " " + std::string(req.body);
    res.headers.emplace_back("X-Echo", std::to_string(req.request_index));
  });
  server.route("GET", "/close", [](const ServerRequest&, ServerResponse& res) {
    res.body = "bye";
    res.close_after = true;
  });
  server.route("GET", "/hang", [](const ServerRequest&, ServerResponse& res) { res.never_respond = true; });
  server.route("GET", "/drop", [](const ServerRequest&, ServerResponse& res) { res.drop_without_response = true; });
  server.route("GET", "/slow", [](const ServerRequest&, ServerResponse& res) {
    res.body = "slow";
    res.delay_ms = 150;
  });
  server.route("GET", "/big", [](const ServerRequest&, ServerResponse& res) { res.body = std::string(100'000, 'z'); });
}

struct HttpFixture : ::testing::Test {
  void SetUp() override {
    server = std::make_unique<Server>(tls_server_config());
    add_routes(*server);
    auto p = server->start();
    ASSERT_TRUE(p);
    port = p.value();
  }
  HttpClientConfig config(const char* scheme = "https", const char* host = "localhost") const {
    HttpClientConfig c;
    c.base_url = std::string(scheme) + "://" + host + ":" + std::to_string(port);
    c.request_timeout_ms = 2'000;
    c.connect_timeout_ms = 2'000;
    return c;
  }
  std::unique_ptr<HttpClient> make(HttpClientConfig cfg) {
    auto c = HttpClient::create(loop, &tls, std::move(cfg), handler);
    EXPECT_TRUE(c);
    return std::move(c.value());
  }
  bool wait_results(std::size_t n, int ms = 5'000) {
    return loop.run_until([&] { return handler.results.size() >= n; }, ms);
  }

  std::unique_ptr<Server> server;
  std::uint16_t port = 0;
  IoLoop loop;
  TlsClientContext tls = client_tls();
  RecordingHttpHandler handler;
};

TEST_F(HttpFixture, SendsGetPostDeleteWithHeadersAndBody) {
  auto c = make(config());
  const HttpHeader auth[] = {{"POLY_API_KEY", "key-123"}, {"POLY_SIGNATURE", "sig"}};
  ASSERT_EQ(c->submit({.method = HttpMethod::kGet, .target = "/echo?a=1", .headers = auth, .tag = 1}), NetError::kOk);
  ASSERT_EQ(c->submit({.method = HttpMethod::kPost, .target = "/echo", .headers = auth, .body = R"({"order":1})", .tag = 2}),
            NetError::kOk);
  ASSERT_EQ(c->submit({.method = HttpMethod::kDelete, .target = "/echo", .body = R"({"orderID":"0x1"})", .tag = 3}),
            NetError::kOk);
  ASSERT_TRUE(wait_results(3));
  EXPECT_EQ(handler.results[0].tag, 1U);
  EXPECT_EQ(handler.results[0].status, 200);
  EXPECT_EQ(handler.results[0].body, "GET /echo?a=1 key-123 ");
  EXPECT_EQ(handler.results[1].body, R"(POST /echo? key-123 {"order":1})");
  EXPECT_EQ(handler.results[2].body, R"(DELETE /echo?  {"orderID":"0x1"})");
  EXPECT_EQ(handler.results[2].tag, 3U);
}

TEST_F(HttpFixture, KeepAliveReusesOneConnectionForManyRequests) {
  auto c = make(config());
  c->start();
  for (std::uint64_t i = 0; i < 50; ++i) {
    ASSERT_EQ(c->submit({.method = HttpMethod::kGet, .target = "/echo", .tag = i}), NetError::kOk)
        << i;  // queue_depth 32: submit in two halves
    if (i == 25) {
      ASSERT_TRUE(wait_results(26));
    }
  }
  ASSERT_TRUE(wait_results(50));
  EXPECT_EQ(server->counters().connections_accepted, 1U);
  EXPECT_EQ(server->counters().http_requests, 50U);
  EXPECT_EQ(c->counters().connections, 1U);
  EXPECT_FALSE(handler.results[0].reused);
  EXPECT_TRUE(handler.results[49].reused);
  EXPECT_EQ(handler.results[49].echo_header, "49");  // 50th request on the same server connection
}

TEST_F(HttpFixture, ReconnectsAfterServerClosesWithConnectionClose) {
  HttpClientConfig cfg = config();
  cfg.keep_warm = false;
  auto c = make(cfg);
  ASSERT_EQ(c->submit({.target = "/echo", .tag = 1}), NetError::kOk);
  ASSERT_EQ(c->submit({.target = "/close", .tag = 2}), NetError::kOk);
  ASSERT_EQ(c->submit({.target = "/echo", .tag = 3}), NetError::kOk);
  ASSERT_TRUE(wait_results(3));
  EXPECT_EQ(handler.results[1].body, "bye");
  EXPECT_EQ(handler.results[2].error, NetError::kOk);
  EXPECT_FALSE(handler.results[2].reused);
  EXPECT_EQ(server->counters().connections_accepted, 2U);
}

TEST_F(HttpFixture, NoticesIdleCloseByServerAndReconnectsWarm) {
  auto c = make(config());
  c->start();
  ASSERT_TRUE(loop.run_until([&] { return c->connected(); }, 5'000));
  server->close_all_connections();
  ASSERT_TRUE(loop.run_until([&] { return server->counters().connections_accepted == 2 && c->connected(); }, 5'000));
  ASSERT_EQ(c->submit({.target = "/echo", .tag = 7}), NetError::kOk);
  ASSERT_TRUE(wait_results(1));
  EXPECT_EQ(handler.results[0].error, NetError::kOk);
  EXPECT_EQ(handler.results[0].status, 200);
}

TEST_F(HttpFixture, TimesOutAndRecoversOnNextRequest) {
  HttpClientConfig cfg = config();
  cfg.request_timeout_ms = 200;
  auto c = make(cfg);
  ASSERT_EQ(c->submit({.target = "/hang", .tag = 1}), NetError::kOk);
  ASSERT_EQ(c->submit({.target = "/echo", .tag = 2}), NetError::kOk);
  ASSERT_TRUE(wait_results(2));
  EXPECT_EQ(handler.results[0].error, NetError::kTimeout);
  EXPECT_EQ(handler.results[1].error, NetError::kOk);
  EXPECT_EQ(c->counters().timeouts, 1U);
  EXPECT_EQ(server->counters().connections_accepted, 2U);
}

// The request timer is armed lazily, once per connection (no re-arm per request): a request written while it runs
// still gets its whole timeout, counted from its own write, and a slow-but-in-time answer is not cut short.
TEST_F(HttpFixture, EachRequestGetsItsFullTimeoutFromItsOwnWriteWithTheLazyTimer) {
  HttpClientConfig cfg = config();
  cfg.request_timeout_ms = 300;
  auto c = make(cfg);
  c->start();
  ASSERT_EQ(c->submit({.target = "/echo", .tag = 1}), NetError::kOk);
  ASSERT_TRUE(wait_results(1));
  EXPECT_EQ(handler.results[0].error, NetError::kOk);
  // The timer armed by the first request fires ~300 ms after it: /hang is in flight by then and must not fail early.
  (void)loop.run_until([] { return false; }, 200);
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(c->submit({.target = "/hang", .tag = 2}), NetError::kOk);
  ASSERT_TRUE(wait_results(2, 3'000));
  const auto waited =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(handler.results[1].error, NetError::kTimeout);
  EXPECT_GE(waited, 290);   // its own 300 ms (timer granularity aside), not what was left of the first one's
  EXPECT_LT(waited, 1'500);
  // Recovered: the next request on a new connection is answered, and a slow one within the timeout succeeds.
  ASSERT_EQ(c->submit({.target = "/slow", .tag = 3}), NetError::kOk);
  ASSERT_TRUE(wait_results(3, 3'000));
  EXPECT_EQ(handler.results[2].error, NetError::kOk);
  EXPECT_EQ(handler.results[2].body, "slow");
}

TEST_F(HttpFixture, SlowServerWithinTimeoutSucceeds) {
  auto c = make(config());
  ASSERT_EQ(c->submit({.target = "/slow", .tag = 1}), NetError::kOk);
  ASSERT_TRUE(wait_results(1));
  EXPECT_EQ(handler.results[0].body, "slow");
}

TEST_F(HttpFixture, DropWithoutResponseFailsPostButNotLaterRequests) {
  auto c = make(config());
  ASSERT_EQ(c->submit({.target = "/echo", .tag = 1}), NetError::kOk);
  ASSERT_TRUE(wait_results(1));
  ASSERT_EQ(c->submit({.target = "/drop", .tag = 2}), NetError::kOk);
  ASSERT_EQ(c->submit({.target = "/echo", .tag = 3}), NetError::kOk);
  ASSERT_TRUE(wait_results(3));
  // The GET to /drop is resent once (stale keep-alive race looks the same), then fails.
  EXPECT_NE(handler.results[1].error, NetError::kOk);
  EXPECT_EQ(handler.results[2].error, NetError::kOk);
  EXPECT_EQ(c->counters().retries, 1U);
}

TEST_F(HttpFixture, LargeBodyIsDeliveredWithPadding) {
  auto c = make(config());
  ASSERT_EQ(c->submit({.target = "/big", .tag = 1}), NetError::kOk);
  ASSERT_TRUE(wait_results(1));
  EXPECT_EQ(handler.results[0].body.size(), 100'000U);
}

TEST_F(HttpFixture, RefusesOversizedRequestAndFullQueue) {
  HttpClientConfig cfg = config();
  cfg.queue_depth = 2;
  cfg.max_request_bytes = 256;
  auto c = make(cfg);
  const std::string big(300, 'x');
  EXPECT_EQ(c->submit({.method = HttpMethod::kPost, .target = "/echo", .body = big}), NetError::kTooLarge);
  EXPECT_EQ(c->submit({.target = "/echo"}), NetError::kOk);
  EXPECT_EQ(c->submit({.target = "/echo"}), NetError::kOk);
  EXPECT_EQ(c->submit({.target = "/echo"}), NetError::kQueueFull);
  ASSERT_TRUE(wait_results(2));
  EXPECT_EQ(c->counters().rejected, 2U);
}

TEST_F(HttpFixture, Returns404FromServerForUnknownPath) {
  auto c = make(config());
  ASSERT_EQ(c->submit({.target = "/nope", .tag = 1}), NetError::kOk);
  ASSERT_TRUE(wait_results(1));
  EXPECT_EQ(handler.results[0].status, 404);
}

TEST(HttpClient, RefusesWrongHostCertificate) {
  Server server(tls_server_config(pki().wrong_host));
  add_routes(server);
  const auto port = server.start().value();
  IoLoop loop;
  auto tls = client_tls();
  RecordingHttpHandler h;
  HttpClientConfig cfg;
  cfg.base_url = "https://localhost:" + std::to_string(port);
  cfg.keep_warm = false;
  auto c = HttpClient::create(loop, &tls, cfg, h).value();
  ASSERT_EQ(c->submit({.target = "/echo", .tag = 1}), NetError::kOk);
  ASSERT_TRUE(loop.run_until([&] { return !h.results.empty(); }, 5'000));
  EXPECT_EQ(h.results[0].error, NetError::kCertificate) << h.results[0].detail;
  EXPECT_EQ(server.counters().http_requests, 0U);
}

TEST(HttpClient, WorksOverPlainHttp) {
  ServerConfig sc;
  sc.tls = false;
  Server server(sc);
  add_routes(server);
  const auto port = server.start().value();
  IoLoop loop;
  RecordingHttpHandler h;
  HttpClientConfig cfg;
  cfg.base_url = "http://127.0.0.1:" + std::to_string(port);
  auto c = HttpClient::create(loop, nullptr, cfg, h).value();
  ASSERT_EQ(c->submit({.method = HttpMethod::kPost, .target = "/echo", .body = "b", .tag = 1}), NetError::kOk);
  ASSERT_TRUE(loop.run_until([&] { return !h.results.empty(); }, 5'000));
  EXPECT_EQ(h.results[0].body, "POST /echo?  b");
}

TEST(HttpClient, ConnectionRefusedFailsQueuedRequests) {
  std::uint16_t port = 0;
  {
    Server s(tls_server_config());
    port = s.start().value();
  }
  IoLoop loop;
  auto tls = client_tls();
  RecordingHttpHandler h;
  HttpClientConfig cfg;
  cfg.base_url = "https://localhost:" + std::to_string(port);
  cfg.keep_warm = false;
  auto c = HttpClient::create(loop, &tls, cfg, h).value();
  ASSERT_EQ(c->submit({.target = "/echo", .tag = 1}), NetError::kOk);
  ASSERT_EQ(c->submit({.target = "/echo", .tag = 2}), NetError::kOk);
  ASSERT_TRUE(loop.run_until([&] { return h.results.size() == 2; }, 5'000));
  EXPECT_EQ(h.results[0].error, NetError::kConnect);
  EXPECT_EQ(h.results[1].error, NetError::kConnect);
}

}  // namespace
}  // namespace polybot::net

namespace polybot::net {
namespace {

TEST(HttpClient, DestroyingWithRequestInFlightIsSafe) {
  Server server(tls_server_config());
  add_routes(server);
  const auto port = server.start().value();
  IoLoop loop;
  auto tls = client_tls();
  RecordingHttpHandler h;
  HttpClientConfig cfg;
  cfg.base_url = "https://localhost:" + std::to_string(port);
  {
    auto c = HttpClient::create(loop, &tls, cfg, h).value();
    ASSERT_EQ(c->submit({.target = "/slow", .tag = 1}), NetError::kOk);
    loop.run_until([] { return false; }, 50);
  }
  loop.run_until([] { return false; }, 300);
  EXPECT_TRUE(h.results.empty());  // no callback after destruction
}

}  // namespace
}  // namespace polybot::net
