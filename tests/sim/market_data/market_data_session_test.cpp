// The real Polymarket market-channel session against the simulator's loopback TLS server, with faults: every
// fault must end in a resynced valid book or a book marked invalid, never a wrong book marked valid.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/net/io_loop.hpp"
#include "core/net/test_pki.hpp"
#include "core/net/tls_context.hpp"
#include "feed/book_set.hpp"
#include "feed/polymarket_market_session.hpp"
#include "sim/market_data/market_data_server.hpp"

namespace polybot::sim {
namespace {

const std::string kUp = "1111";
const std::string kDown = "2222";

std::string book_frame(const std::string& token, const char* bid, const char* ask, std::int64_t ts) {
  return R"({"event_type":"book","asset_id":")" + token + R"(","market":"0xm","bids":[{"price":")" + bid +
         R"(","size":"10"}],"asks":[{"price":")" + ask + R"(","size":"20"}],"timestamp":")" + std::to_string(ts) +
         R"(","hash":"00"})";
}

std::string change_frame(const std::string& token, const char* price, const char* side, const char* bb,
                         const char* ba, std::int64_t ts) {
  return R"({"event_type":"price_change","market":"0xm","timestamp":")" + std::to_string(ts) +
         R"(","price_changes":[{"asset_id":")" + token + R"(","price":")" + price + R"(","size":"5","side":")" +
         side + R"(","hash":"h","best_bid":")" + bb + R"(","best_ask":")" + ba + R"("}]})";
}

struct World {
  net::TestPki pki = net::TestPki::create("polybot feed test CA").value();
  MarketDataServer server{[this] {
    MarketDataServerConfig c;
    auto leaf = pki.issue({"localhost"}, {"127.0.0.1"}).value();
    c.tls.cert_chain_pem = leaf.cert_pem;
    c.tls.private_key_pem = leaf.key_pem;
    return c;
  }()};
  net::IoLoop loop;
  net::TlsClientContext tls = [this] {
    net::TlsClientOptions o;
    o.use_system_trust = false;
    o.extra_ca_pem = pki.ca_cert_pem;
    return net::TlsClientContext::create(o).value();
  }();
  feed::InstrumentTable tokens{16};
  InstrumentId up = tokens.add(kUp);
  InstrumentId down = tokens.add(kDown);
  feed::BookSet books;
  feed::PolymarketParser parser{tokens};
  std::unique_ptr<feed::PolymarketMarketSession> session;

  explicit World(std::uint32_t dead_after_ms = 30'000) {
    books.prepare_book(up);
    books.prepare_book(down);
    server.set_book(kUp, book_frame(kUp, "0.48", "0.52", 1000));
    server.set_book(kDown, book_frame(kDown, "0.47", "0.53", 1000));
    EXPECT_TRUE(server.start());
    feed::PolymarketSessionConfig cfg;
    cfg.url = server.ws_url();
    cfg.ping_interval_ms = 200;
    cfg.dead_after_ms = dead_after_ms;
    cfg.backoff.base_ms = 20;
    cfg.backoff.cap_ms = 100;
    session = feed::PolymarketMarketSession::create(loop, &tls, cfg, parser, books, &books, nullptr).value();
    const std::vector<std::string> both{kUp, kDown};
    session->subscribe(both);
    session->start();
  }
  book::Book& b(InstrumentId id) { return *books.book(id); }
  bool both_valid() { return b(up).valid() && b(down).valid(); }
  bool wait(auto pred, int ms = 5000) { return loop.run_until(pred, ms); }
};

TEST(MarketDataSession, SubscribesAndBuildsBooksFromTheInitialDump) {
  World w;
  ASSERT_TRUE(w.wait([&] { return w.both_valid(); }));
  const auto rx = w.server.received();
  ASSERT_FALSE(rx.empty());
  EXPECT_EQ(rx[0], R"({"assets_ids":["1111","2222"],"type":"market","initial_dump":true,"custom_feature_enabled":true})");
  EXPECT_EQ(w.b(w.up).best_bid(), *Price::parse("0.48"));
  w.server.send(change_frame(kUp, "0.49", "BUY", "0.49", "0.52", 1001));
  ASSERT_TRUE(w.wait([&] { return w.b(w.up).best_bid() == *Price::parse("0.49"); }));
  EXPECT_TRUE(w.b(w.up).valid());
}

TEST(MarketDataSession, ReconnectsAfterADisconnectAndResyncs) {
  World w;
  ASSERT_TRUE(w.wait([&] { return w.both_valid(); }));
  w.server.set_book(kUp, book_frame(kUp, "0.3", "0.7", 2000));
  w.server.disconnect_all();
  ASSERT_TRUE(w.wait([&] { return !w.b(w.up).valid(); }));
  EXPECT_EQ(w.b(w.up).reason(), book::InvalidReason::kReconnect);
  ASSERT_TRUE(w.wait([&] { return w.both_valid(); }));
  EXPECT_EQ(w.b(w.up).best_bid(), *Price::parse("0.3"));
  EXPECT_GE(w.server.sessions_opened(), 2u);
}

TEST(MarketDataSession, ADisconnectMidFrameNeverLeavesAValidPartialBook) {
  World w;
  ASSERT_TRUE(w.wait([&] { return w.both_valid(); }));
  w.server.disconnect_mid_frame(change_frame(kUp, "0.51", "SELL", "0.48", "0.51", 1001));
  ASSERT_TRUE(w.wait([&] { return !w.b(w.up).valid(); }));
  ASSERT_TRUE(w.wait([&] { return w.both_valid(); }));
  EXPECT_EQ(w.b(w.up).best_ask(), *Price::parse("0.52"));  // rebuilt from the dump, not the half frame
}

TEST(MarketDataSession, GarbageFramesAreCountedAndTheBookStaysRight) {
  World w;
  ASSERT_TRUE(w.wait([&] { return w.both_valid(); }));
  w.server.send("{\"event_type\":\"price_change\",garbage");
  w.server.send("NO NEW ASSETS");
  w.server.send(change_frame(kUp, "0.49", "BUY", "0.49", "0.52", 1001));
  ASSERT_TRUE(w.wait([&] { return w.b(w.up).best_bid() == *Price::parse("0.49"); }));
  EXPECT_EQ(w.session->counters().parse_errors, 1u);
  EXPECT_TRUE(w.b(w.up).valid());
}

TEST(MarketDataSession, DuplicateAndOutOfOrderMessagesInvalidateOrAreHarmless) {
  World w;
  ASSERT_TRUE(w.wait([&] { return w.both_valid(); }));
  const std::string c1 = change_frame(kUp, "0.49", "BUY", "0.49", "0.52", 1001);
  w.server.send(c1);
  w.server.send(c1);  // duplicate: absolute sizes, same top -> harmless
  ASSERT_TRUE(w.wait([&] { return w.b(w.up).best_bid() == *Price::parse("0.49"); }));
  w.loop.run_for_ms(50);
  EXPECT_TRUE(w.b(w.up).valid());
  // An older message after a newer one: timestamp regression.
  w.server.send(change_frame(kUp, "0.47", "BUY", "0.49", "0.52", 999));
  ASSERT_TRUE(w.wait([&] { return !w.b(w.up).valid(); }));
  EXPECT_EQ(w.b(w.up).reason(), book::InvalidReason::kTimestampRegression);
  // A lost update: the next change's top disagrees with ours.
  ASSERT_TRUE(w.wait([&] { return w.b(w.down).valid(); }));
  w.server.send(change_frame(kDown, "0.46", "BUY", "0.5", "0.53", 1002));
  ASSERT_TRUE(w.wait([&] { return !w.b(w.down).valid(); }));
  EXPECT_EQ(w.b(w.down).reason(), book::InvalidReason::kTopMismatch);
}

TEST(MarketDataSession, ASilentServerIsDeclaredDeadAndTheBooksResync) {
  World w(600);
  ASSERT_TRUE(w.wait([&] { return w.both_valid(); }));
  w.server.set_silent(true);
  ASSERT_TRUE(w.wait([&] { return !w.b(w.up).valid(); }, 5000));
  ASSERT_TRUE(w.wait([&] { return w.both_valid(); }, 5000));
  EXPECT_GE(w.session->counters().disconnects, 1u);
}

TEST(MarketDataSession, RollOverSubscribesAndUnsubscribesOnTheLiveConnection) {
  World w;
  ASSERT_TRUE(w.wait([&] { return w.both_valid(); }));
  const InstrumentId next = w.tokens.add("3333");
  w.books.prepare_book(next);
  w.server.set_book("3333", book_frame("3333", "0.2", "0.8", 1500));
  const std::vector<std::string> add{"3333"};
  w.session->subscribe(add);
  ASSERT_TRUE(w.wait([&] { return w.books.book(next)->valid(); }));
  const std::vector<std::string> drop{kUp};
  w.session->unsubscribe(drop);
  ASSERT_TRUE(w.wait([&] { return w.server.received().size() >= 3; }));
  const auto rx = w.server.received();
  EXPECT_EQ(rx[1], R"({"assets_ids":["3333"],"operation":"subscribe"})");
  EXPECT_EQ(rx[2], R"({"assets_ids":["1111"],"operation":"unsubscribe"})");
}

}  // namespace
}  // namespace polybot::sim
