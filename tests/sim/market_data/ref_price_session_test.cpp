// The reference-price session against a loopback TLS server speaking RTDS: subscribes on connect (and again
// after a reconnect), turns the captured back-fill into RefPrice messages, ignores PONG.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>

#include "core/net/io_loop.hpp"
#include "core/net/server.hpp"
#include "core/net/test_pki.hpp"
#include "core/net/tls_context.hpp"
#include "feed/ref_price_session.hpp"

namespace polybot::feed {
namespace {

struct Refs : MarketSink {
  std::vector<RefPrice> got;
  void on_ref_price(const RefPrice& m) noexcept override { got.push_back(m); }
};

TEST(RefPriceSession, SubscribesAndDeliversRefPricesAcrossReconnects) {
  std::ifstream in(std::string(POLYBOT_SOURCE_DIR) + "/tests/data/polymarket/crates_test_data__rtds_crypto_prices_subscribe.json");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string backfill = ss.str();
  auto pki = net::TestPki::create("polybot rtds test CA").value();
  net::ServerConfig sc;
  auto leaf = pki.issue({"localhost"}, {"127.0.0.1"}).value();
  sc.tls_options.cert_chain_pem = leaf.cert_pem;
  sc.tls_options.private_key_pem = leaf.key_pem;
  net::Server server(sc);
  std::mutex mu;
  std::vector<std::string> subs;
  net::WsRoute route;
  route.on_message = [&](const net::WsSessionPtr& s, std::string_view data, bool) {
    if (data == "PING") {
      s->send_text("PONG");
      return;
    }
    {
      std::lock_guard lock(mu);
      subs.emplace_back(data);
    }
    if (data.find("\"crypto_prices\"") != std::string_view::npos) s->send_text(backfill);
  };
  server.websocket("/", route);
  const auto port = server.start().value();
  net::IoLoop loop;
  net::TlsClientOptions o;
  o.use_system_trust = false;
  o.extra_ca_pem = pki.ca_cert_pem;
  auto tls = net::TlsClientContext::create(o).value();
  InstrumentTable symbols(8);
  symbols.add("btcusdt");
  symbols.add("btc/usd");
  RefPriceParser parser(symbols);
  Refs sink;
  RefPriceSessionConfig cfg;
  cfg.url = "wss://127.0.0.1:" + std::to_string(port) + "/";
  cfg.ping_interval_ms = 100;
  cfg.backoff.base_ms = 20;
  cfg.backoff.cap_ms = 50;
  auto session = RefPriceSession::create(loop, &tls, cfg, parser, sink, nullptr).value();
  session->start();
  ASSERT_TRUE(loop.run_until([&] { return sink.got.size() == 3; }, 5000));
  EXPECT_EQ(sink.got[0].value, *UsdPrice::parse("61164.12"));
  EXPECT_EQ(sink.got[0].is_snapshot, 1);
  loop.run_for_ms(300);  // pings answered with PONG: no parse errors, no disconnect
  EXPECT_EQ(session->parse_errors(), 0u);
  EXPECT_EQ(session->disconnects(), 0u);
  server.close_all_connections();
  ASSERT_TRUE(loop.run_until([&] { return sink.got.size() == 6; }, 5000));
  std::lock_guard lock(mu);
  ASSERT_EQ(subs.size(), 4u);  // two subscriptions per connection
  EXPECT_EQ(subs[0], cfg.subscribe_messages[0]);
  EXPECT_EQ(subs[3], cfg.subscribe_messages[1]);
}

}  // namespace
}  // namespace polybot::feed
