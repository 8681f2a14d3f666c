// Roll-over end to end: the market-data simulator serves consecutive real BTC Up/Down windows (the Gamma objects
// of 2026-06-08, a 15m window derived from them, books from the captured REST /book) over loopback TLS; a
// FeedAgent and a MarketRoller on a real Runner thread, driven by a ManualClock the test steps, discover the
// windows, subscribe before they open, unsubscribe after close, emit Timers in order, and publish BookTops that
// match the served books. Faults (disconnect without a dump, silence, an older REST book) end in a REST /book
// resync to the right book or an invalid book — never a wrong book marked valid.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/channel.hpp"
#include "core/clock.hpp"
#include "core/msg/envelope.hpp"
#include "core/net/io_loop.hpp"
#include "core/net/test_pki.hpp"
#include "core/net/tls_context.hpp"
#include "core/runner.hpp"
#include "feed/feed_agent.hpp"
#include "feed/market_roller.hpp"
#include "sim/market_data/market_data_server.hpp"
#include "sim/market_data/window_catalog.hpp"

namespace polybot::sim {
namespace {

constexpr std::int64_t kS = 1780876800;  // 2026-06-08T00:00:00Z: a 5m and a 15m window open here
constexpr std::int64_t kNs = 1'000'000'000;
const std::string kData = std::string(POLYBOT_SOURCE_DIR) + "/tests/data/polymarket/";

struct Catalog {
  std::vector<SimWindow> all = load_gamma_windows(kData + "BTC-5m-markets-2026-06-08.jsonl.gz").value();
  SimBook base = load_rest_book(kData + "http_responses__book.json").value();
  const SimWindow& five(std::int64_t start) const {
    for (const auto& w : all) {
      if (w.start_s == start) return w;
    }
    throw std::runtime_error("no window " + std::to_string(start));
  }
  // The 15m window at kS: the 5m object of kS with the ids of the day's last window.
  SimWindow fifteen() const { return derive_15m(five(kS), all.back(), kS); }
  SimBook book(std::size_t k, std::int64_t ts_ms) const { return variant(base, k, "", "", ts_ms); }
};

TEST(WindowCatalog, TakesEachWindowsTickFromItsGammaObject) {
  // `polybot sim` serves the book and checks orders on this tick, the one the engine learns at discovery: a
  // window whose book said 0.01 while Gamma said 0.001 refused the market maker's 0.115 quote at a window open.
  const Catalog c;
  std::size_t fine = 0, coarse = 0;  // the day's markets use both: 26 at 0.001, 266 at 0.01
  for (const auto& w : c.all) {
    EXPECT_NE(w.gamma_json.find("\"orderPriceMinTickSize\":" + w.tick + ","), std::string::npos) << w.slug;
    fine += w.tick == "0.001";
    coarse += w.tick == "0.01";
  }
  EXPECT_EQ(fine, 26u);
  EXPECT_EQ(coarse, 266u);
  EXPECT_EQ(retime(c.all[0], c.all[1], 900, kS).tick, c.all[0].tick);
}

struct Seen {
  std::vector<BookTop> tops;
  std::vector<Timer> timers;
};

struct World {
  Catalog cat;
  net::TestPki pki = net::TestPki::create("polybot roller test CA").value();
  MarketDataServer server{[this] {
    MarketDataServerConfig c;
    auto leaf = pki.issue({"localhost"}, {"127.0.0.1"}).value();
    c.tls.cert_chain_pem = leaf.cert_pem;
    c.tls.private_key_pem = leaf.key_pem;
    return c;
  }()};
  net::TlsClientContext tls = [this] {
    net::TlsClientOptions o;
    o.use_system_trust = false;
    o.extra_ca_pem = pki.ca_cert_pem;
    return net::TlsClientContext::create(o).value();
  }();
  ManualClock clock{(kS + 100) * kNs};
  net::IoLoop loop;
  feed::InstrumentTable tokens{4096};
  feed::BookSet books;
  feed::PolymarketParser parser{tokens};
  Channel<Envelope> channel{1 << 14};
  Channel<Envelope>::Consumer rx = channel.consumer();
  std::unique_ptr<feed::PolymarketMarketSession> session;
  std::unique_ptr<feed::FeedAgent> agent;
  std::unique_ptr<feed::MarketRoller> roller;
  Runner runner;
  std::mutex log_mu;
  std::vector<std::string> log;
  Seen seen;
  bool running = false;

  explicit World(std::int64_t stale_after_s) : books([&] {
    feed::BookSetConfig c;
    c.book.stale_after_ns = stale_after_s * kNs;
    return c;
  }()) {}

  void serve_default() {
    server.add_window(cat.five(kS), cat.book(0, kS * 1000 + 5));
    server.add_window(cat.five(kS + 300), cat.book(1, (kS + 300) * 1000 + 5));
    server.add_window(cat.five(kS + 600), cat.book(2, (kS + 600) * 1000 + 5), /*hidden_lookups=*/1);
    server.add_window(cat.fifteen(), cat.book(3, kS * 1000 + 7));
    // Not served: 5m kS+900 and the 15m windows after kS (never found -> reported, never guessed).
  }

  void start(feed::BookResyncConfig resync = {}) {
    ASSERT_TRUE(server.start());
    feed::PolymarketSessionConfig sc;
    sc.url = server.ws_url();
    sc.clock = &clock;
    sc.ping_interval_ms = 500;
    sc.backoff.base_ms = 20;
    sc.backoff.cap_ms = 100;
    session = feed::PolymarketMarketSession::create(loop, &tls, sc, parser, books, &books, nullptr).value();
    agent = std::make_unique<feed::FeedAgent>(&loop, books, clock, channel.producer());
    feed::MarketRollerConfig rc;
    rc.gamma.base_url = server.rest_url();
    resync.rest_base_url = server.rest_url();
    rc.resync = resync;
    rc.retry_base_ms = 1000;
    rc.retry_cap_ms = 4000;
    rc.log = [this](std::string_view line) {
      std::lock_guard lock(log_mu);
      log.emplace_back(line);
    };
    roller = feed::MarketRoller::create(loop, &tls, clock, rc, tokens, books, parser, *session, *agent).value();
    session->start();
    ThreadSpec spec;
    spec.name = "feed";
    spec.wait.kind = WaitKind::kYield;
    runner.add_thread(spec, {agent.get(), roller.get()});
    runner.start();
    running = true;
  }
  void stop() {
    if (!running) return;
    runner.request_stop();
    runner.join();
    running = false;
  }
  ~World() { stop(); }

  void drain() {
    Envelope e;
    while (rx.try_pop(e)) {
      if (e.is<BookTop>()) seen.tops.push_back(e.as<BookTop>());
      if (e.is<Timer>()) seen.timers.push_back(e.as<Timer>());
    }
  }
  template <class Pred>
  bool wait(Pred pred, int ms = 8000) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < end) {
      drain();
      if (pred()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    drain();
    return pred();
  }
  // Steps the clock one second at a time up to `to_s`, letting the feed thread run between steps.
  void advance_to(std::int64_t to_s, int real_ms_per_step = 3) {
    while (clock.now_ns() / kNs < to_s) {
      clock.advance(kNs);
      std::this_thread::sleep_for(std::chrono::milliseconds(real_ms_per_step));
      drain();
    }
  }
  // Steps the clock one second at a time (at most max_steps) until pred holds, giving the feed thread up to
  // 100 ms of real time per step: robust to a loaded machine that delays the feed thread.
  template <class Pred>
  bool step_until(Pred pred, int max_steps = 30) {
    for (int i = 0; i < max_steps; ++i) {
      clock.advance(kNs);
      if (wait(pred, 100)) return true;
    }
    return false;
  }
  // The newest BookTop of the window (interval, start), or null.
  const BookTop* last_top(std::uint32_t interval, std::int64_t start) const {
    for (auto it = seen.tops.rbegin(); it != seen.tops.rend(); ++it) {
      if (it->window_start_s == start && it->window_end_s - it->window_start_s == interval) return &*it;
    }
    return nullptr;
  }
  bool subscribed(const std::string& token, const char* op = nullptr) const {
    for (const auto& m : server.received()) {
      if (m.find(token) == std::string::npos) continue;
      if (op == nullptr || m.find(op) != std::string::npos) return true;
    }
    return false;
  }
  std::string log_text() {
    std::lock_guard lock(log_mu);
    std::string all;
    for (const auto& l : log) all += l + "\n";
    return all;
  }
  bool logged(const std::string& part) {
    std::lock_guard lock(log_mu);
    for (const auto& l : log) {
      if (l.find(part) != std::string::npos) return true;
    }
    return false;
  }
};

// The BookTop shows exactly the served book: Up from `up`, Down from its complement.
bool matches(const BookTop& t, const SimBook& up) {
  const SimBook down = complement(up);
  return t.up.valid == 1 && t.down.valid == 1 && (t.hdr.flags & msg_flag::kInvalid) == 0 &&
         t.up.bid.to_string() == best_bid(up) && t.up.ask.to_string() == best_ask(up) &&
         t.down.bid.to_string() == best_bid(down) && t.down.ask.to_string() == best_ask(down);
}

bool valid_top_matches(const World& w, std::uint32_t interval, std::int64_t start, const SimBook& up) {
  const BookTop* t = w.last_top(interval, start);
  return t != nullptr && matches(*t, up);
}

TEST(MarketRollerE2e, FollowsConsecutiveWindowsAcrossTheRollOver) {
  World w(600);
  w.serve_default();
  w.start();
  const SimWindow& w1 = w.cat.five(kS);
  const SimWindow& w2 = w.cat.five(kS + 300);
  const SimWindow f1 = w.cat.fifteen();
  const SimBook b1 = w.cat.book(0, 0), b2 = w.cat.book(1, 0), b15 = w.cat.book(3, 0);

  // Window 1 (5m) and the current 15m window: discovered, subscribed at once (already open), books valid.
  ASSERT_TRUE(w.wait([&] { return valid_top_matches(w, 300, kS, b1) && valid_top_matches(w, 900, f1.start_s, b15); }))
      << "tops seen: " << w.seen.tops.size();
  const BookTop* t1 = w.last_top(300, kS);
  EXPECT_EQ(t1->fee_rate_bps, 700u);  // feeSchedule.rate 0.07
  EXPECT_EQ(t1->min_order_size.to_string(), "5");
  EXPECT_NE(b1.bids.size(), b2.bids.size());  // the two windows' books differ

  // Window 2 is discovered well ahead but not subscribed before its lead (opens kS+300, lead 60 s).
  ASSERT_TRUE(w.wait([&] { return w.server.gamma_lookups(w2.slug) >= 1; }));
  w.advance_to(kS + 239);
  EXPECT_FALSE(w.subscribed(w2.tokens[0]));
  EXPECT_FALSE(w.last_top(300, kS + 300) != nullptr && w.last_top(300, kS + 300)->up.valid == 1);
  w.advance_to(kS + 240);
  ASSERT_TRUE(w.wait([&] { return w.subscribed(w2.tokens[0], "\"subscribe\"") && w.subscribed(w2.tokens[1], "\"subscribe\""); }));
  // Its books are valid before it opens, and they are window 2's books.
  ASSERT_TRUE(w.wait([&] { return valid_top_matches(w, 300, kS + 300, b2); }));
  EXPECT_LT(w.clock.now_ns() / kNs, kS + 300);
  EXPECT_FALSE(w.subscribed(w1.tokens[0], "unsubscribe"));

  // Window 3 was hidden for its first lookup (Gamma hydrating): found on a retry.
  ASSERT_TRUE(w.wait([&] { return w.server.gamma_lookups(w.cat.five(kS + 600).slug) >= 1; }));
  w.advance_to(kS + 300);
  w.advance_to(kS + 329);
  EXPECT_FALSE(w.subscribed(w1.tokens[0], "unsubscribe"));  // grace: 30 s after the close
  w.advance_to(kS + 331);
  ASSERT_TRUE(w.wait([&] { return w.subscribed(w1.tokens[0], "unsubscribe") && w.subscribed(w1.tokens[1], "unsubscribe"); }));
  EXPECT_GE(w.server.gamma_lookups(w.cat.five(kS + 600).slug), 2u);
  // Window 2 still valid and right after window 1 went away.
  EXPECT_TRUE(valid_top_matches(w, 300, kS + 300, b2));

  // Timers in (kS+100, kS+331], in order: window 1's T-60 and T-10, its close, window 2's open.
  ASSERT_TRUE(w.wait([&] { return w.seen.timers.size() >= 4; }));
  std::vector<std::string> got;
  for (const Timer& t : w.seen.timers) {
    got.push_back(std::to_string(t.interval_s) + ":" + std::to_string(t.window_start_s - kS) + ":" +
                  std::to_string(static_cast<int>(t.kind)) + ":" + std::to_string(t.seconds_before_end) + "@" +
                  std::to_string(t.hdr.ts_exch / kNs - kS));
  }
  const std::vector<std::string> want{"300:0:2:60@240", "300:0:2:10@290", "300:0:1:0@300", "300:300:0:0@300"};
  EXPECT_EQ(got, want);
  for (std::size_t i = 1; i < w.seen.timers.size(); ++i) {
    EXPECT_LE(w.seen.timers[i - 1].hdr.ts_exch, w.seen.timers[i].hdr.ts_exch);
  }
  // Timers name the market of their window.
  EXPECT_EQ(w.seen.timers[2].market, t1->market);
  EXPECT_EQ(w.seen.timers[3].market, w.last_top(300, kS + 300)->market);
  EXPECT_NE(w.seen.timers[2].market, w.seen.timers[3].market);

  // Jump past the end of the 5m window at kS+900, which Gamma never had: reported as missed, never guessed.
  w.clock.set((kS + 1201) * kNs);
  ASSERT_TRUE(w.wait([&] { return w.logged("MISSED btc-updown-5m-" + std::to_string(kS + 900)); }));
  w.stop();
  EXPECT_GE(w.roller->counters().missed, 1u);
  EXPECT_GE(w.roller->counters().found, 4u);
  EXPECT_GE(w.roller->counters().not_found, 2u);
  EXPECT_EQ(w.roller->counters().resync_applied, 0u);  // no fault: the WebSocket dumps were enough
}

TEST(MarketRollerE2e, FaultsEndInARestResyncToTheRightBookNeverAWrongValidBook) {
  World w(5);
  w.serve_default();
  feed::BookResyncConfig rs;
  rs.delay_ms = 500;
  rs.min_interval_ms = 1000;
  rs.hash = feed::HashCheckMode::kDiagnostic;
  w.start(rs);
  const SimWindow& w1 = w.cat.five(kS);
  const SimBook b1 = w.cat.book(0, 0);
  ASSERT_TRUE(w.wait([&] { return valid_top_matches(w, 300, kS, b1); }));
  const auto served = [&](const SimBook& up, std::int64_t ts_ms) {
    SimBook u = up;
    u.market = w1.condition_id;
    u.asset_id = w1.tokens[0];
    u.ts_ms = ts_ms;
    SimBook d = complement(u);
    d.asset_id = w1.tokens[1];
    w.server.set_rest_book(u.asset_id, rest_book_body(u));
    w.server.set_rest_book(d.asset_id, rest_book_body(d));
  };
  // Every valid top of window 1 ever published must be one of the books the venue actually had.
  std::vector<SimBook> legit{b1};
  const auto never_wrong = [&] {
    for (const BookTop& t : w.seen.tops) {
      if (t.window_start_s != kS || t.window_end_s != kS + 300 || t.up.valid == 0 || t.down.valid == 0) continue;
      bool ok = false;
      for (const auto& b : legit) ok = ok || matches(t, b);
      if (!ok) return false;
    }
    return true;
  };

  // 1. Disconnect; the venue comes back without an initial dump, and its book moved on: only REST can rebuild.
  const SimBook b1b = w.cat.book(4, 0);
  legit.push_back(b1b);
  served(b1b, kS * 1000 + 200'000);
  w.server.set_initial_dump(false);
  const std::size_t before = w.seen.tops.size();
  w.server.disconnect_all();
  ASSERT_TRUE(w.wait([&] {
    for (std::size_t i = before; i < w.seen.tops.size(); ++i) {
      if (w.seen.tops[i].window_start_s == kS && w.seen.tops[i].up.valid == 0) return true;
    }
    return false;
  }));
  ASSERT_TRUE(w.step_until([&] { return valid_top_matches(w, 300, kS, b1b); })) << w.log_text();
  EXPECT_GE(w.server.rest_book_requests(w1.tokens[0]), 1u);
  EXPECT_TRUE(never_wrong());

  // 2. Silence mid-window: the books go stale, REST resyncs them to the venue's current book.
  const SimBook b1c = w.cat.book(5, 0);
  legit.push_back(b1c);
  served(b1c, kS * 1000 + 210'000);
  w.server.set_silent(true);
  ASSERT_TRUE(w.step_until([&] { return valid_top_matches(w, 300, kS, b1c); })) << w.log_text();
  EXPECT_TRUE(never_wrong());

  // 3. A REST book older than what the book showed is refused: the book stays invalid (never the old book).
  const SimBook old = w.cat.book(6, 0);
  served(old, kS * 1000 + 1'000);
  w.server.disconnect_all();
  ASSERT_TRUE(w.wait([&] { return w.last_top(300, kS)->up.valid == 0; }));
  ASSERT_TRUE(w.step_until([&] { return w.logged("older than the book's"); })) << w.log_text();
  EXPECT_EQ(w.last_top(300, kS)->up.valid, 0);
  // ...until the venue serves a current one.
  const SimBook b1d = w.cat.book(7, 0);
  legit.push_back(b1d);
  served(b1d, kS * 1000 + 220'000);
  ASSERT_TRUE(w.step_until([&] { return valid_top_matches(w, 300, kS, b1d); })) << w.log_text();
  EXPECT_TRUE(never_wrong());
  w.stop();
  EXPECT_GE(w.roller->counters().resync_applied, 4u);  // both tokens, three times
  EXPECT_GE(w.roller->counters().resync_rejected_old, 1u);
  EXPECT_GT(w.books.counters().hash_matches, 0u);       // the sim's /book hash follows the documented rule
  EXPECT_EQ(w.books.counters().hash_mismatches, 0u);
}

TEST(MarketRollerE2e, RefusesGammaAnswersItCannotTrustAndNeverGuessesTheUpToken) {
  World w(600);
  const SimWindow& w1 = w.cat.five(kS);
  // Window 1 not hydrated yet (enableOrderBook false); window 2 lists its outcomes Down first.
  SimWindow cold = w1;
  const auto flip = [](std::string& j, const std::string& a, const std::string& b) {
    const auto p = j.find(a);
    ASSERT_NE(p, std::string::npos) << a;
    j.replace(p, a.size(), b);
  };
  flip(cold.gamma_json, "\"enableOrderBook\":true", "\"enableOrderBook\":false");
  w.server.add_window(cold, w.cat.book(0, kS * 1000 + 5));
  SimWindow swapped = w.cat.five(kS + 300);
  const std::string ids = "[\\\"" + swapped.tokens[0] + "\\\", \\\"" + swapped.tokens[1] + "\\\"]";
  const std::string rev = "[\\\"" + swapped.tokens[1] + "\\\", \\\"" + swapped.tokens[0] + "\\\"]";
  flip(swapped.gamma_json, ids, rev);
  flip(swapped.gamma_json, R"("outcomes":"[\"Up\", \"Down\"]")", R"("outcomes":"[\"Down\", \"Up\"]")");
  const SimBook b2 = w.cat.book(1, (kS + 300) * 1000 + 5);
  w.server.add_window(swapped, b2);  // the books stay keyed by the real Up/Down tokens
  w.start();
  ASSERT_TRUE(w.wait([&] { return w.logged("refused Gamma answer for " + w1.slug); }));
  w.advance_to(kS + 110);
  EXPECT_FALSE(w.subscribed(w1.tokens[0]));
  // Hydrated now: found on a retry and subscribed at once (the window is open).
  w.server.add_gamma_market(w1.slug, w1.gamma_json, w1.end_s);
  w.advance_to(kS + 150);
  ASSERT_TRUE(w.wait([&] { return valid_top_matches(w, 300, kS, w.cat.book(0, 0)); }));
  // Window 2: Up is still the Up token although Gamma listed it second.
  w.advance_to(kS + 240);
  ASSERT_TRUE(w.wait([&] { return valid_top_matches(w, 300, kS + 300, b2); }));
  w.stop();
  EXPECT_GE(w.roller->counters().rejected, 1u);
  bool right = false;
  for (const auto& win : w.roller->windows()) {
    if (win->start_s == kS + 300 && win->interval_s == 300) right = win->market.token_ids[0] == swapped.tokens[0];
  }
  EXPECT_TRUE(right);
}

}  // namespace
}  // namespace polybot::sim
