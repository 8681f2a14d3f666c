// The real Binance session against a loopback TLS server replaying the hftbacktest spot capture: the REST
// snapshot + buffered diffs synchronise the depth book; a lost diff ends in a book marked invalid.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "core/net/io_loop.hpp"
#include "core/net/server.hpp"
#include "core/net/test_pki.hpp"
#include "core/net/tls_context.hpp"
#include "feed/binance_session.hpp"
#include "feed/capture_reader.hpp"

namespace polybot::feed {
namespace {

struct Capture {
  std::string text;
  std::vector<std::string> before;  // stream frames before the REST snapshot line
  std::vector<std::string> after;   // stream frames after it
  std::string snapshot;
  Capture() {
    auto f = read_capture(std::string(POLYBOT_SOURCE_DIR) + "/tests/data/binance/btcusdt_20240808_head12000.gz");
    EXPECT_TRUE(f);
    text = std::move(f->text);
    for (const CaptureFrame& fr : split_capture(text)) {
      if (fr.json.find("\"stream\"") == std::string_view::npos) {
        snapshot.assign(fr.json);
      } else if (snapshot.empty()) {
        before.emplace_back(fr.json);
      } else if (after.size() < 3000) {
        after.emplace_back(fr.json);
      }
    }
  }
};

struct World {
  Capture cap;
  net::TestPki pki = net::TestPki::create("polybot binance test CA").value();
  std::unique_ptr<net::Server> server;
  std::atomic<int> depth_requests{0};
  std::atomic<int> kline_requests{0};
  net::IoLoop loop;
  net::TlsClientContext tls = [this] {
    net::TlsClientOptions o;
    o.use_system_trust = false;
    o.extra_ca_pem = pki.ca_cert_pem;
    return net::TlsClientContext::create(o).value();
  }();
  InstrumentTable symbols{16};
  BinanceParser parser{symbols};
  BookSet books;
  std::unique_ptr<BinanceSession> session;

  World() {
    net::ServerConfig sc;
    auto leaf = pki.issue({"localhost"}, {"127.0.0.1"}).value();
    sc.tls_options.cert_chain_pem = leaf.cert_pem;
    sc.tls_options.private_key_pem = leaf.key_pem;
    server = std::make_unique<net::Server>(sc);
    net::WsRoute route;
    route.on_open = [this](const net::WsSessionPtr& s) {
      for (const auto& f : cap.before) s->send_text(f);
    };
    server->websocket("/stream", route);
    server->route("GET", "/api/v3/depth", [this](const net::ServerRequest& req, net::ServerResponse& resp) {
      EXPECT_NE(req.query.find("symbol=BTCUSDT"), std::string_view::npos);
      ++depth_requests;
      resp.body = cap.snapshot;
    });
    server->route("GET", "/api/v3/klines", [this](const net::ServerRequest&, net::ServerResponse& resp) {
      ++kline_requests;
      resp.body =
          R"([[1723161180000,"61800.00000000","61850.00000000","61790.00000000","61837.63000000","12.5",1723161239999,"772000.1",900,"6.1","377000.2","0"]])";
    });
    const auto port = server->start().value();
    BinanceSessionConfig cfg;
    cfg.ws_base = "wss://127.0.0.1:" + std::to_string(port);
    cfg.rest_base = "https://127.0.0.1:" + std::to_string(port);
    cfg.streams = {"depth@100ms", "bookTicker", "trade"};
    cfg.kline_backfill = 1;
    cfg.resync_min_interval_ms = 50;
    session = BinanceSession::create(loop, &tls, cfg, symbols, parser, books, books, nullptr).value();
    session->start();
  }
  book::DepthBook& depth() { return *books.depth(symbols.find("BTCUSDT")); }
  bool pump(auto pred, int ms = 8000) {
    return loop.run_until([&] {
      session->poll_resync();
      return pred();
    }, ms);
  }
};

TEST(BinanceSession, SynchronisesTheDepthBookFromSnapshotAndBufferedDiffs) {
  World w;
  EXPECT_EQ(w.session->stream_url().substr(w.session->stream_url().find("/stream")),
            "/stream?streams=btcusdt@depth@100ms/btcusdt@bookTicker/btcusdt@trade");
  ASSERT_TRUE(w.pump([&] { return w.depth().valid(); }));
  EXPECT_EQ(w.depth_requests.load(), 1);
  for (const auto& f : w.cap.after) w.server->broadcast_text("/stream", f);
  std::uint64_t last_u = 0;
  for (const auto& f : w.cap.after) {
    if (f.find("@depth") == std::string::npos) continue;
    const auto p = f.find("\"u\":");
    last_u = std::stoull(f.substr(p + 4));
  }
  ASSERT_TRUE(w.pump([&] { return w.depth().last_update_id() == last_u; }));
  EXPECT_TRUE(w.depth().valid());
  EXPECT_EQ(w.depth().counters().gaps, 0u);
  EXPECT_EQ(w.session->counters().parse_errors, 0u);
  EXPECT_EQ(w.session->counters().klines_backfilled, 1u);
  EXPECT_EQ(w.kline_requests.load(), 1);
}

TEST(BinanceSession, ALostDiffEndsInAnInvalidBookAndAResyncAttempt) {
  World w;
  ASSERT_TRUE(w.pump([&] { return w.depth().valid(); }));
  int depth_seen = 0;
  for (const auto& f : w.cap.after) {
    if (f.find("@depth") != std::string::npos && ++depth_seen == 10) continue;  // lost on the wire
    w.server->broadcast_text("/stream", f);
  }
  ASSERT_TRUE(w.pump([&] { return !w.depth().valid(); }));
  EXPECT_EQ(w.depth().reason(), book::InvalidReason::kGap);
  // The session asks for a new snapshot; the server's is older than the buffered diffs, so the book stays
  // invalid rather than being rebuilt wrong.
  ASSERT_TRUE(w.pump([&] { return w.depth_requests.load() >= 2; }));
  w.loop.run_for_ms(100);
  EXPECT_FALSE(w.depth().valid());
}

TEST(BinanceSession, ADisconnectInvalidatesAndTheNextConnectionResyncs) {
  World w;
  ASSERT_TRUE(w.pump([&] { return w.depth().valid(); }));
  w.server->close_all_connections();
  ASSERT_TRUE(w.pump([&] { return !w.depth().valid(); }));
  // The replayed "before" frames plus the same snapshot resynchronise the new connection.
  ASSERT_TRUE(w.pump([&] { return w.depth().valid(); }));
  EXPECT_GE(w.session->counters().disconnects, 1u);
  EXPECT_GE(w.depth_requests.load(), 2);
}

}  // namespace
}  // namespace polybot::feed
