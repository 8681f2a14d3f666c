// The CoinGecko sanity check over real loopback TLS: against the simulator's Binance side (its bookTicker through
// the real BinanceSession, its CoinGecko price through the check) the two agree, and a price pushed 3 % away is
// flagged; against a scripted server: staleness, 429 with Retry-After, malformed answers (journaled raw,
// counted, backed off), no ticker to compare with, and the API key sent as the plan's header.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/net/io_loop.hpp"
#include "core/net/server.hpp"
#include "core/net/test_pki.hpp"
#include "core/net/tls_context.hpp"
#include "feed/binance_session.hpp"
#include "feed/coingecko/coingecko_check.hpp"
#include "feed/kline_csv.hpp"
#include "sim/market_data/binance_sim.hpp"

namespace polybot::feed {
namespace {

constexpr std::int64_t kS = 1'000'000'000;

struct Sink : MarketSink {
  std::vector<RefPrice> refs;
  void on_ref_price(const RefPrice& m) noexcept override { refs.push_back(m); }
};

struct Raw : RawFrameSink {
  std::vector<std::pair<FeedChannel, std::string>> frames;
  void on_raw_frame(FeedChannel c, std::string_view bytes, std::int64_t) noexcept override {
    frames.emplace_back(c, std::string(bytes));
  }
};

struct Pki {
  net::TestPki pki = net::TestPki::create("polybot coingecko test CA").value();
  net::PemPair leaf = pki.issue({"localhost"}, {"127.0.0.1"}).value();
  net::TlsClientContext tls = [this] {
    net::TlsClientOptions o;
    o.use_system_trust = false;
    o.extra_ca_pem = pki.ca_cert_pem;
    return net::TlsClientContext::create(o).value();
  }();
};

// The simulator's Binance side with both the stream (bookTicker) and CoinGecko, and the real sessions on it.
struct SimWorld {
  Pki p;
  std::unique_ptr<sim::BinanceSim> sim;
  net::IoLoop loop;
  InstrumentTable symbols{16};
  BinanceParser parser{symbols};
  BookSet books;
  Sink sink;
  Raw raw;
  std::unique_ptr<BinanceSession> binance;
  std::unique_ptr<CoinGeckoCheck> check;

  explicit SimWorld(std::int32_t offset_bps) {
    auto rows = read_kline_csv(std::string(POLYBOT_SOURCE_DIR) + "/sim/data/klines/BTCUSDT_1m_2025-01_ohlcv.csv");
    EXPECT_TRUE(rows);
    sim::BinanceSimConfig bc;
    bc.tls.cert_chain_pem = p.leaf.cert_pem;
    bc.tls.private_key_pem = p.leaf.key_pem;
    bc.rows = std::move(*rows);
    bc.push_ms = 100;
    bc.coingecko_offset_bps = offset_bps;
    sim = sim::BinanceSim::create(std::move(bc)).value();
    EXPECT_TRUE(sim->start());
    BinanceSessionConfig c;
    c.ws_base = sim->ws_base();
    c.rest_base = sim->rest_base();
    c.streams = {"bookTicker"};
    c.kline_backfill = 0;
    binance = BinanceSession::create(loop, &p.tls, c, symbols, parser, books, books, &raw).value();
    CoinGeckoConfig g;
    g.base_url = sim->rest_base();
    g.interval_s = 10;
    check = CoinGeckoCheck::create(loop, &p.tls, g, books, symbols.find("BTCUSDT"), sink, &raw).value();
  }
  ~SimWorld() {
    binance->stop();
    check->stop();
    loop.run_for_ms(20);
    sim->stop();
  }
  // Both start together, as in the live feed: the answer may come before the first ticker and then waits for it.
  bool run() {
    binance->start();
    check->start();
    return loop.run_until([&] { return check->poll() >= 0 && check->counters().checks == 1; }, 5000);
  }
};

TEST(CoinGeckoCheck, AgreesWithTheSimulatorsBinanceMid) {
  SimWorld w(0);
  ASSERT_TRUE(w.run());
  const auto& n = w.check->counters();
  EXPECT_EQ(n.requests, 1u);
  EXPECT_EQ(n.answers, 1u);
  EXPECT_EQ(n.checks, 1u);
  EXPECT_EQ(n.state, SanityState::kAgrees);
  EXPECT_LE(std::abs(n.last_deviation_bps), 100);
  ASSERT_EQ(w.sink.refs.size(), 1u);
  EXPECT_EQ(w.sink.refs[0].venue, Venue::kCoinGecko);
  EXPECT_EQ(w.sink.refs[0].value, n.last_price);
  // The answer is journaled raw on its own channel, byte for byte.
  bool journaled = false;
  for (const auto& [c, bytes] : w.raw.frames)
    journaled = journaled || (c == FeedChannel::kCoinGecko && bytes.find("\"bitcoin\"") != std::string::npos);
  EXPECT_TRUE(journaled);
  EXPECT_EQ(w.sim->counters().coingecko_requests, 1u);
}

TEST(CoinGeckoCheck, FlagsAPriceThreePercentAwayAsDiverged) {
  SimWorld w(300);
  ASSERT_TRUE(w.run());
  const auto& n = w.check->counters();
  EXPECT_EQ(n.state, SanityState::kDiverged);
  EXPECT_EQ(n.divergences, 1u);
  EXPECT_GE(n.last_deviation_bps, 250);
  EXPECT_LE(n.last_deviation_bps, 350);
}

// A scripted CoinGecko: each request gets the next answer.
struct ScriptWorld {
  Pki p;
  net::Server server{[this] {
    net::ServerConfig sc;
    sc.tls_options.cert_chain_pem = p.leaf.cert_pem;
    sc.tls_options.private_key_pem = p.leaf.key_pem;
    return sc;
  }()};
  std::mutex mu;
  std::vector<net::ServerResponse> script;
  std::vector<std::string> keys_seen, targets;
  std::atomic<int> served{0};
  net::IoLoop loop;
  ManualClock clock{1'711'356'330 * kS};  // 30 s after the answers' last_updated_at
  InstrumentTable symbols{16};
  BookSet books;
  Sink sink;
  Raw raw;
  std::unique_ptr<CoinGeckoCheck> check;

  explicit ScriptWorld(bool with_ticker, std::string key_header = {}, std::string key = {}) {
    server.route("GET", "/api/v3/simple/price", [this](const net::ServerRequest& req, net::ServerResponse& resp) {
      std::lock_guard lock(mu);
      keys_seen.emplace_back(req.header("x-cg-demo-api-key"));
      targets.emplace_back(req.target);
      const std::size_t i = static_cast<std::size_t>(served.load());
      if (i < script.size()) resp = script[i];
      ++served;
    });
    const auto port = server.start().value();
    const InstrumentId id = symbols.add("BTCUSDT");
    books.prepare_depth(id);
    if (with_ticker) {
      BtcTick t{};
      t.hdr.type = MsgType::kBtcTick;
      t.hdr.instrument = id;
      t.hdr.ts_recv = clock.now_ns();
      t.bid = *UsdPrice::parse("67190.00");
      t.ask = *UsdPrice::parse("67190.02");
      books.on_btc_tick(t);
    }
    CoinGeckoConfig g;
    g.base_url = "https://127.0.0.1:" + std::to_string(port);
    g.interval_s = 60;
    g.max_age_s = 600;
    g.max_ticker_age_s = 3600;  // the manual clock jumps minutes ahead; the ticker stays the comparison
    g.api_key_header = std::move(key_header);
    g.api_key = std::move(key);
    g.clock = &clock;
    check = CoinGeckoCheck::create(loop, &p.tls, g, books, id, sink, &raw).value();
  }
  ~ScriptWorld() {
    check->stop();
    loop.run_for_ms(20);
    server.stop();
  }
  void add(int status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
    net::ServerResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    std::lock_guard lock(mu);
    script.push_back(std::move(r));
  }
  // Polls until the n-th answer came back (the check is idle again).
  bool answered(std::uint64_t n) {
    return loop.run_until(
        [&] {
          (void)check->poll();
          const auto& c = check->counters();
          return c.answers + c.http_errors + c.rate_limited + c.parse_errors >= n;
        },
        5000);
  }
};

constexpr const char* kGood = R"({"bitcoin":{"usd":67187.34,"last_updated_at":1711356300}})";

TEST(CoinGeckoCheck, ComparesAtTheIntervalAndNotBefore) {
  ScriptWorld w(true);
  w.add(200, kGood);
  w.add(200, R"({"bitcoin":{"usd":67250.5,"last_updated_at":1711356360}})");
  w.check->start();
  ASSERT_TRUE(w.answered(1));
  EXPECT_EQ(w.check->counters().state, SanityState::kAgrees);
  // (2 * 67187.34 - 134380.02) * 1e4 / 134380.02 = -0.39 bps: truncated toward zero.
  EXPECT_EQ(w.check->counters().last_deviation_bps, 0);
  w.loop.run_for_ms(50);
  EXPECT_EQ(w.check->poll(), 0);  // the clock has not moved: nothing due
  w.clock.advance(59 * kS);
  EXPECT_EQ(w.check->poll(), 0);
  w.clock.advance(1 * kS);
  ASSERT_TRUE(w.answered(2));
  EXPECT_EQ(w.check->counters().requests, 2u);
  EXPECT_EQ(w.check->counters().last_price, *UsdPrice::parse("67250.5"));
  ASSERT_EQ(w.sink.refs.size(), 2u);
  EXPECT_EQ(w.sink.refs[1].hdr.seq, 2u);
  std::lock_guard lock(w.mu);
  EXPECT_EQ(w.targets[0], "/api/v3/simple/price?ids=bitcoin&vs_currencies=usd&include_last_updated_at=true");
  EXPECT_EQ(w.keys_seen[0], "");  // plan "none": no key header
}

TEST(CoinGeckoCheck, AnOldAnswerIsStaleNotCompared) {
  ScriptWorld w(true);
  w.add(200, R"({"bitcoin":{"usd":50000,"last_updated_at":1711350000}})");  // 105 minutes old
  w.check->start();
  ASSERT_TRUE(w.answered(1));
  EXPECT_EQ(w.check->counters().stale, 1u);
  EXPECT_EQ(w.check->counters().checks, 0u);
  EXPECT_EQ(w.check->counters().state, SanityState::kStale);
}

TEST(CoinGeckoCheck, AnAnswerBeforeAnyTickerIsComparedWhenOneArrives) {
  ScriptWorld w(false);
  w.add(200, kGood);
  w.check->start();
  ASSERT_TRUE(w.answered(1));
  EXPECT_EQ(w.check->counters().unchecked, 1u);
  EXPECT_EQ(w.check->counters().checks, 0u);
  EXPECT_EQ(w.check->counters().state, SanityState::kUnknown);
  EXPECT_EQ(w.sink.refs.size(), 1u);  // still published: the journal has it
  w.clock.advance(5 * kS);
  (void)w.check->poll();
  EXPECT_EQ(w.check->counters().checks, 0u);  // still no ticker: still pending
  BtcTick t{};
  t.hdr.type = MsgType::kBtcTick;
  t.hdr.instrument = w.symbols.find("BTCUSDT");
  t.hdr.ts_recv = w.clock.now_ns();
  t.bid = *UsdPrice::parse("70000.00");
  t.ask = *UsdPrice::parse("70000.00");
  w.books.on_btc_tick(t);
  EXPECT_EQ(w.check->poll(), 0);  // nothing sent (not due), but the pending answer is compared
  EXPECT_EQ(w.check->counters().checks, 1u);
  EXPECT_EQ(w.check->counters().state, SanityState::kDiverged);  // 67187.34 vs 70000: -401 bps
  EXPECT_EQ(w.check->counters().last_deviation_bps, -401);
  (void)w.check->poll();
  EXPECT_EQ(w.check->counters().checks, 1u);  // compared once
}

TEST(CoinGeckoCheck, RateLimitBacksOffForRetryAfterThenRecovers) {
  ScriptWorld w(true);
  w.add(429, R"({"status":{"error_code":429,"error_message":"You've exceeded the Rate Limit."}})",
        {{"Retry-After", "300"}});
  w.add(200, kGood);
  w.check->start();
  ASSERT_TRUE(w.answered(1));
  EXPECT_EQ(w.check->counters().rate_limited, 1u);
  EXPECT_EQ(w.check->counters().parse_errors, 0u);  // a 429 body is not parsed as a price
  w.clock.advance(299 * kS);
  w.loop.run_for_ms(20);
  EXPECT_EQ(w.check->poll(), 0);  // Retry-After (300 s) outweighs the doubled interval (120 s)
  w.clock.advance(1 * kS);
  ASSERT_TRUE(w.answered(2));
  EXPECT_EQ(w.check->counters().answers, 1u);
  EXPECT_EQ(w.check->counters().state, SanityState::kAgrees);
}

TEST(CoinGeckoCheck, MalformedAnswersAreJournaledCountedAndBackedOff) {
  ScriptWorld w(true);
  w.add(200, "<html>Service Unavailable</html>");
  w.add(503, "busy");
  w.add(200, kGood);
  w.check->start();
  ASSERT_TRUE(w.answered(1));
  EXPECT_EQ(w.check->counters().parse_errors, 1u);
  EXPECT_NE(w.check->parser().last_error().find("body"), std::string::npos);
  ASSERT_FALSE(w.raw.frames.empty());
  EXPECT_EQ(w.raw.frames[0].first, FeedChannel::kCoinGecko);
  EXPECT_EQ(w.raw.frames[0].second, "<html>Service Unavailable</html>");
  w.clock.advance(119 * kS);  // one failure: twice the interval
  w.loop.run_for_ms(20);
  EXPECT_EQ(w.check->poll(), 0);
  w.clock.advance(1 * kS);
  ASSERT_TRUE(w.answered(2));
  EXPECT_EQ(w.check->counters().http_errors, 1u);
  w.clock.advance(239 * kS);  // two failures in a row: four times
  w.loop.run_for_ms(20);
  EXPECT_EQ(w.check->poll(), 0);
  w.clock.advance(1 * kS);
  ASSERT_TRUE(w.answered(3));
  EXPECT_EQ(w.check->counters().answers, 1u);
  EXPECT_EQ(w.check->counters().state, SanityState::kAgrees);
}

TEST(CoinGeckoCheck, SendsTheApiKeyInThePlansHeader) {
  ScriptWorld w(true, "x-cg-demo-api-key", "CG-test-key-123");
  w.add(200, kGood);
  w.check->start();
  ASSERT_TRUE(w.answered(1));
  std::lock_guard lock(w.mu);
  ASSERT_EQ(w.keys_seen.size(), 1u);
  EXPECT_EQ(w.keys_seen[0], "CG-test-key-123");
}

}  // namespace
}  // namespace polybot::feed
