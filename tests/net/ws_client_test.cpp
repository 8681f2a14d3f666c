#include "core/net/ws_client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/net/net_test_support.hpp"

namespace polybot::net {
namespace {

using testing::client_tls;
using testing::pki;
using testing::RecordingWsHandler;
using testing::tls_server_config;

// Echoes every message; answers the text "PING" with "PONG" (Polymarket's keep-alive).
void add_echo_route(Server& server, std::atomic<int>* closes = nullptr) {
  server.websocket("/ws", WsRoute{
                              .on_open = nullptr,
                              .on_message =
                                  [](const WsSessionPtr& s, std::string_view data, bool) {
                                    s->send_text(data == "PING" ? std::string("PONG") : std::string(data));
                                  },
                              .on_close =
                                  [closes](const WsSessionPtr&) {
                                    if (closes != nullptr) closes->fetch_add(1);
                                  },
                          });
}

WsClientConfig fast_config(std::uint16_t port, const char* host = "localhost", const char* scheme = "wss") {
  WsClientConfig c;
  c.url = std::string(scheme) + "://" + host + ":" + std::to_string(port) + "/ws";
  c.backoff = BackoffConfig{.base_ms = 50, .cap_ms = 400, .jitter = 0.0, .seed = 1, .reset_after_ms = 60'000};
  c.open_timeout_ms = 2'000;
  return c;
}

struct WsFixture : ::testing::Test {
  void SetUp() override {
    server = std::make_unique<Server>(tls_server_config());
    add_echo_route(*server, &server_closes);
    auto p = server->start();
    ASSERT_TRUE(p);
    port = p.value();
  }
  std::unique_ptr<WsClient> make(WsClientConfig cfg) {
    auto c = WsClient::create(loop, &tls, std::move(cfg), handler);
    EXPECT_TRUE(c);
    return std::move(c.value());
  }
  bool wait(const std::function<bool()>& pred, int ms = 5'000) { return loop.run_until(pred, ms); }

  std::atomic<int> server_closes{0};
  std::unique_ptr<Server> server;
  std::uint16_t port = 0;
  IoLoop loop;
  TlsClientContext tls = client_tls();
  RecordingWsHandler handler;
};

TEST_F(WsFixture, EchoesTextOverTlsAndCountsTraffic) {
  handler.send_on_open = {"hello", R"({"assets_ids":["1"],"type":"market"})"};
  auto c = make(fast_config(port));
  EXPECT_EQ(c->state(), WsState::kIdle);
  c->start();
  ASSERT_TRUE(wait([&] { return handler.frames.size() == 2; }));
  EXPECT_EQ(handler.frames[0], "hello");
  EXPECT_EQ(handler.frames[1], R"({"assets_ids":["1"],"type":"market"})");
  EXPECT_EQ(c->state(), WsState::kOpen);
  EXPECT_TRUE(handler.padding_ok);
  const auto n = c->counters();
  EXPECT_EQ(n.frames_rx, 2U);
  EXPECT_EQ(n.frames_tx, 2U);
  EXPECT_EQ(n.bytes_rx, 5U + handler.frames[1].size());
  EXPECT_EQ(n.opens, 1U);
  EXPECT_EQ(n.reconnects, 0U);
  EXPECT_EQ(handler.opens, 1);
}

TEST_F(WsFixture, ConnectsToIpLiteralMatchingIpSan) {
  handler.send_on_open = {"ip"};
  auto c = make(fast_config(port, "127.0.0.1"));
  c->start();
  ASSERT_TRUE(wait([&] { return handler.frames.size() == 1; }));
  EXPECT_EQ(handler.frames[0], "ip");
}

TEST_F(WsFixture, DeliversServerPushedFramesInOrder) {
  auto c = make(fast_config(port));
  c->start();
  ASSERT_TRUE(wait([&] { return server->sessions().size() == 1 && handler.opens == 1; }));
  for (int i = 0; i < 200; ++i) server->broadcast_text("/ws", "frame-" + std::to_string(i));
  ASSERT_TRUE(wait([&] { return handler.frames.size() == 200; }));
  for (int i = 0; i < 200; ++i) EXPECT_EQ(handler.frames[static_cast<std::size_t>(i)], "frame-" + std::to_string(i));
}

TEST_F(WsFixture, StopSendsCloseFrameAndReportsStopped) {
  auto c = make(fast_config(port));
  c->start();
  ASSERT_TRUE(wait([&] { return handler.opens == 1; }));
  c->stop();
  ASSERT_TRUE(wait([&] { return c->state() == WsState::kStopped; }));
  ASSERT_EQ(handler.disconnects.size(), 1U);
  EXPECT_EQ(handler.disconnects[0].reason, NetError::kStopped);
  EXPECT_FALSE(handler.disconnects[0].will_reconnect);
  EXPECT_TRUE(loop.run_until([&] { return server_closes.load() == 1; }, 2'000));
  EXPECT_EQ(c->send_text("late"), NetError::kNotOpen);
}

TEST_F(WsFixture, ReconnectsWithBackoffAfterServerDropsConnectionAndResubscribes) {
  handler.send_on_open = {"subscribe"};
  auto c = make(fast_config(port));
  c->start();
  ASSERT_TRUE(wait([&] { return handler.frames.size() == 1; }));
  for (auto& s : server->sessions()) s->abort();
  ASSERT_TRUE(wait([&] { return handler.frames.size() == 2; }));
  EXPECT_EQ(handler.frames[1], "subscribe");  // re-sent from on_open after the reconnect
  ASSERT_EQ(handler.disconnects.size(), 1U);
  const auto& d = handler.disconnects[0];
  EXPECT_TRUE(d.was_open);
  EXPECT_TRUE(d.will_reconnect);
  EXPECT_EQ(d.retry_in_ms, 50U);  // base, jitter 0
  EXPECT_TRUE(d.reason == NetError::kReset || d.reason == NetError::kClosedByPeer) << to_string(d.reason);
  EXPECT_EQ(handler.reopens, 1);
  EXPECT_EQ(c->counters().reconnects, 1U);
  EXPECT_EQ(c->counters().failures, 1U);
}

TEST_F(WsFixture, ReconnectsAfterServerRestartOnSamePortWithGrowingBackoff) {
  auto c = make(fast_config(port));
  c->start();
  ASSERT_TRUE(wait([&] { return handler.opens == 1; }));
  server->stop();
  // The first failure is the lost connection, then connection refusals back off 50, 100, 200, 400 (cap).
  ASSERT_TRUE(wait([&] { return handler.disconnects.size() >= 4; }));
  EXPECT_TRUE(handler.disconnects[0].was_open);
  EXPECT_EQ(handler.disconnects[1].reason, NetError::kConnect);
  EXPECT_EQ(handler.disconnects[0].retry_in_ms, 50U);
  EXPECT_EQ(handler.disconnects[1].retry_in_ms, 100U);
  EXPECT_EQ(handler.disconnects[2].retry_in_ms, 200U);
  EXPECT_EQ(handler.disconnects[3].retry_in_ms, 400U);
  server = std::make_unique<Server>(tls_server_config(pki().server, port));
  add_echo_route(*server);
  ASSERT_TRUE(server->start());
  ASSERT_TRUE(wait([&] { return handler.opens == 2; }));
  EXPECT_EQ(handler.reopens, 1);
  EXPECT_EQ(c->send_text("after restart"), NetError::kOk);
  ASSERT_TRUE(wait([&] { return !handler.frames.empty(); }));
  EXPECT_EQ(handler.frames.back(), "after restart");
}

TEST_F(WsFixture, AppLevelPingKeepsConnectionAliveAndSwallowsPong) {
  auto cfg = fast_config(port);
  cfg.keepalive.app_ping_interval_ms = 40;
  cfg.keepalive.dead_after_ms = 1'500;  // generous: a loaded CI machine may stall the server thread
  auto c = make(cfg);
  c->start();
  ASSERT_TRUE(wait([&] { return handler.opens == 1; }));
  loop.run_until([] { return false; }, 600);
  EXPECT_EQ(c->state(), WsState::kOpen);
  EXPECT_TRUE(handler.disconnects.empty());
  EXPECT_GE(c->counters().pongs_rx, 5U);
  EXPECT_TRUE(handler.frames.empty());  // "PONG" is not handed to the parser
}

TEST_F(WsFixture, DeclaresDeadConnectionOnSilenceAndReconnects) {
  auto cfg = fast_config(port);
  cfg.keepalive.app_ping_interval_ms = 40;
  cfg.keepalive.dead_after_ms = 250;
  auto c = make(cfg);
  c->start();
  ASSERT_TRUE(wait([&] { return handler.opens == 1 && server->sessions().size() == 1; }));
  server->sessions()[0]->set_silent(true);
  ASSERT_TRUE(wait([&] { return !handler.disconnects.empty(); }, 3'000));
  EXPECT_EQ(handler.disconnects[0].reason, NetError::kDeadConnection);
  EXPECT_TRUE(handler.disconnects[0].was_open);
  ASSERT_TRUE(wait([&] { return handler.opens == 2; }));
}

TEST_F(WsFixture, WebSocketPingsAreAnsweredAndSilenceIsDetected) {
  auto cfg = fast_config(port);
  cfg.keepalive.ws_ping_interval_ms = 40;
  cfg.keepalive.dead_after_ms = 800;
  auto c = make(cfg);
  c->start();
  ASSERT_TRUE(wait([&] { return handler.opens == 1 && server->sessions().size() == 1; }));
  loop.run_until([] { return false; }, 400);
  EXPECT_EQ(c->state(), WsState::kOpen);
  EXPECT_GE(c->counters().pongs_rx, 4U);
  server->sessions()[0]->set_silent(true);
  ASSERT_TRUE(wait([&] { return !handler.disconnects.empty(); }, 5'000));
  EXPECT_EQ(handler.disconnects[0].reason, NetError::kDeadConnection);
}

TEST_F(WsFixture, DisconnectMidFrameDeliversNothingAndReconnects) {
  auto c = make(fast_config(port));
  c->start();
  ASSERT_TRUE(wait([&] { return handler.opens == 1 && server->sessions().size() == 1; }));
  server->sessions()[0]->send_partial_frame_and_abort(100, R"({"event_type":"book","bi)");
  ASSERT_TRUE(wait([&] { return !handler.disconnects.empty(); }));
  EXPECT_TRUE(handler.frames.empty());
  EXPECT_TRUE(handler.disconnects[0].was_open);
  EXPECT_NE(handler.disconnects[0].reason, NetError::kOk);
  ASSERT_TRUE(wait([&] { return handler.opens == 2; }));
}

TEST_F(WsFixture, GarbageOnTheWireFailsTheConnectionAsProtocolError) {
  auto c = make(fast_config(port));
  c->start();
  ASSERT_TRUE(wait([&] { return handler.opens == 1 && server->sessions().size() == 1; }));
  server->sessions()[0]->send_raw(std::string("\x8f\x05garbage-that-is-not-a-frame", 29));
  ASSERT_TRUE(wait([&] { return !handler.disconnects.empty(); }));
  // Beast answers a protocol violation with a close frame and a TLS teardown; when the teardown itself fails
  // its error replaces the protocol error, so over TLS the reason may be kIo. Either way the session recovers.
  const NetError r = handler.disconnects[0].reason;
  EXPECT_TRUE(r == NetError::kProtocol || r == NetError::kIo) << handler.disconnect_details[0];
  EXPECT_TRUE(handler.disconnects[0].will_reconnect);
  ASSERT_TRUE(wait([&] { return handler.opens == 2; }));
}

TEST_F(WsFixture, RefusesMessageLargerThanReceiveBuffer) {
  auto cfg = fast_config(port);
  cfg.max_frame_bytes = 1024;
  cfg.reconnect = false;
  auto c = make(cfg);
  c->start();
  ASSERT_TRUE(wait([&] { return handler.opens == 1 && server->sessions().size() == 1; }));
  server->broadcast_text("/ws", std::string(1000, 'a'));
  server->broadcast_text("/ws", std::string(4096, 'b'));
  ASSERT_TRUE(wait([&] { return !handler.disconnects.empty(); }));
  ASSERT_EQ(handler.frames.size(), 1U);
  EXPECT_EQ(handler.frames[0].size(), 1000U);
  // See GarbageOnTheWire...: over TLS the teardown error may replace message_too_big.
  const NetError r = handler.disconnects[0].reason;
  EXPECT_TRUE(r == NetError::kFrameTooLarge || r == NetError::kIo) << handler.disconnect_details[0];
  EXPECT_EQ(c->state(), WsState::kStopped);
}

TEST(WsClient, ReportsFrameTooLargeOverPlainWebSocket) {
  ServerConfig sc;
  sc.tls = false;
  Server server(sc);
  add_echo_route(server);
  const auto port = server.start().value();
  IoLoop loop;
  RecordingWsHandler h;
  auto cfg = fast_config(port, "127.0.0.1", "ws");
  cfg.max_frame_bytes = 512;
  cfg.reconnect = false;
  auto c = WsClient::create(loop, nullptr, cfg, h).value();
  c->start();
  ASSERT_TRUE(loop.run_until([&] { return h.opens == 1 && server.sessions().size() == 1; }, 5'000));
  server.broadcast_text("/ws", std::string(2048, 'b'));
  ASSERT_TRUE(loop.run_until([&] { return !h.disconnects.empty(); }, 5'000));
  EXPECT_EQ(h.disconnects[0].reason, NetError::kFrameTooLarge) << h.disconnect_details[0];
  EXPECT_TRUE(h.frames.empty());
}

TEST_F(WsFixture, SendQueueRefusesWhenFullAndWhenTooLarge) {
  auto cfg = fast_config(port);
  cfg.send_queue_frames = 4;
  cfg.max_send_frame_bytes = 16;
  auto c = make(cfg);
  EXPECT_EQ(c->send_text("x"), NetError::kNotOpen);
  c->start();
  ASSERT_TRUE(wait([&] { return handler.opens == 1; }));
  EXPECT_EQ(c->send_text(std::string(17, 'x')), NetError::kTooLarge);
  int ok = 0;
  int full = 0;
  for (int i = 0; i < 10; ++i) {
    const auto r = c->send_text("m" + std::to_string(i));
    ok += r == NetError::kOk;
    full += r == NetError::kQueueFull;
  }
  EXPECT_EQ(ok, 4);
  EXPECT_EQ(full, 6);
  ASSERT_TRUE(wait([&] { return handler.frames.size() == 4; }));
  EXPECT_EQ(handler.frames[3], "m3");
  EXPECT_EQ(c->counters().send_dropped, 8U);
}

TEST(WsClient, RefusesCertificateForWrongHost) {
  Server server(tls_server_config(pki().wrong_host));
  add_echo_route(server);
  const auto port = server.start().value();
  IoLoop loop;
  auto tls = client_tls();
  RecordingWsHandler h;
  auto cfg = fast_config(port);
  cfg.reconnect = false;
  auto c = WsClient::create(loop, &tls, cfg, h).value();
  c->start();
  ASSERT_TRUE(loop.run_until([&] { return !h.disconnects.empty(); }, 5'000));
  EXPECT_EQ(h.disconnects[0].reason, NetError::kCertificate) << h.disconnect_details[0];
  EXPECT_FALSE(h.disconnects[0].was_open);
  EXPECT_EQ(h.opens, 0);
  EXPECT_EQ(c->state(), WsState::kStopped);
}

TEST(WsClient, RefusesServerSignedByUnknownCa) {
  Server server(tls_server_config());
  add_echo_route(server);
  const auto port = server.start().value();
  auto other = TestPki::create("some other CA").value();
  IoLoop loop;
  auto tls = client_tls(other.ca_cert_pem);
  RecordingWsHandler h;
  auto cfg = fast_config(port);
  cfg.reconnect = false;
  auto c = WsClient::create(loop, &tls, cfg, h).value();
  c->start();
  ASSERT_TRUE(loop.run_until([&] { return !h.disconnects.empty(); }, 5'000));
  EXPECT_EQ(h.disconnects[0].reason, NetError::kCertificate) << h.disconnect_details[0];
  EXPECT_EQ(h.opens, 0);
}

TEST(WsClient, WorksOverPlainWebSocket) {
  ServerConfig sc;
  sc.tls = false;
  Server server(sc);
  add_echo_route(server);
  const auto port = server.start().value();
  IoLoop loop;
  RecordingWsHandler h;
  h.send_on_open = {"plain"};
  auto c = WsClient::create(loop, nullptr, fast_config(port, "127.0.0.1", "ws"), h).value();
  c->start();
  ASSERT_TRUE(loop.run_until([&] { return h.frames.size() == 1; }, 5'000));
  EXPECT_EQ(h.frames[0], "plain");
}

TEST(WsClient, TimesOutWhenServerNeverAnswersHandshake) {
  // A listening socket that never accepts: TCP connects (backlog), TLS never starts.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(fd, 8), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  IoLoop loop;
  auto tls = client_tls();
  RecordingWsHandler h;
  auto cfg = fast_config(ntohs(addr.sin_port));
  cfg.open_timeout_ms = 200;
  cfg.reconnect = false;
  auto c = WsClient::create(loop, &tls, cfg, h).value();
  c->start();
  ASSERT_TRUE(loop.run_until([&] { return !h.disconnects.empty(); }, 3'000));
  EXPECT_EQ(h.disconnects[0].reason, NetError::kTimeout) << h.disconnect_details[0];
  ::close(fd);
}

TEST(WsClient, CreateRejectsBadUrlAndMissingTls) {
  IoLoop loop;
  RecordingWsHandler h;
  WsClientConfig cfg;
  cfg.url = "https://example.com/";
  EXPECT_EQ(WsClient::create(loop, nullptr, cfg, h).error(), NetError::kBadUrl);
  cfg.url = "wss://example.com/ws";
  EXPECT_EQ(WsClient::create(loop, nullptr, cfg, h).error(), NetError::kTlsSetup);
}

}  // namespace
}  // namespace polybot::net

namespace polybot::net {
namespace {

// Destroying a client with operations in flight closes its socket without callbacks; the loop then only
// releases the pending handlers (run under ASan to prove there is no use after free).
TEST(WsClient, DestroyingWhileConnectingOrOpenIsSafe) {
  Server server(tls_server_config());
  add_echo_route(server);
  const auto port = server.start().value();
  IoLoop loop;
  auto tls = client_tls();
  RecordingWsHandler h;
  {
    auto c = WsClient::create(loop, &tls, fast_config(port), h).value();
    c->start();
    loop.poll();
  }
  {
    auto c = WsClient::create(loop, &tls, fast_config(port), h).value();
    c->start();
    ASSERT_TRUE(loop.run_until([&] { return h.opens == 1; }, 5'000));
    (void)c->send_text("in flight");
  }
  loop.run_until([] { return false; }, 100);
  EXPECT_TRUE(h.disconnects.empty());
}

}  // namespace
}  // namespace polybot::net
