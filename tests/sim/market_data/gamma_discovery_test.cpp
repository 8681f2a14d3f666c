// Gamma discovery against a loopback HTTP server: the slug lookup on the captured market, and the fallbacks
// (event slug, then the tag listing filtered by series and window) when the market endpoint has nothing.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/net/io_loop.hpp"
#include "core/net/server.hpp"
#include "feed/gamma_discovery.hpp"

namespace polybot::feed {
namespace {

std::string fixture() {
  std::ifstream in(std::string(POLYBOT_SOURCE_DIR) + "/tests/data/polymarket/crates_test_data__gamma_market.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct World {
  net::Server server{[] {
    net::ServerConfig c;
    c.tls = false;
    return c;
  }()};
  net::IoLoop loop;
  std::vector<DiscoveryResult> results;
  std::vector<std::string> targets;
  std::unique_ptr<GammaDiscovery> discovery;
  void start() {
    const auto port = server.start().value();
    GammaDiscoveryConfig cfg;
    cfg.base_url = "http://127.0.0.1:" + std::to_string(port);
    discovery = GammaDiscovery::create(loop, nullptr, cfg, [this](const DiscoveryResult& r) { results.push_back(r); })
                    .value();
  }
};

TEST(GammaDiscovery, FindsTheWindowBySlug) {
  World w;
  w.server.route("GET", "/markets/slug/btc-updown-5m-1773307200",
                 [](const net::ServerRequest&, net::ServerResponse& r) { r.body = fixture(); });
  w.start();
  ASSERT_TRUE(w.discovery->lookup(1773307200, 300));
  ASSERT_TRUE(w.loop.run_until([&] { return !w.results.empty(); }, 5000));
  ASSERT_TRUE(w.results[0].found) << w.results[0].error;
  EXPECT_EQ(w.results[0].market.token_ids[0],
            "104239898038807136052399800151408521467737075933964991162589336683346093173875");
  EXPECT_EQ(w.results[0].market.end_s, 1773307500);
}

TEST(GammaDiscovery, FallsBackToTheSeriesListing) {
  World w;
  std::atomic<int> calls{0};
  w.server.fallback([&](const net::ServerRequest& req, net::ServerResponse& r) {
    ++calls;
    r.status = 404;
    r.body = "{}";
    if (req.path == "/events" && req.query.find("tag_slug=up-or-down") != std::string_view::npos) {
      EXPECT_NE(req.query.find("end_date_min=2026-03-12T09:20:00Z"), std::string_view::npos);
      r.status = 200;
      // One event of another series and ours; parse_any reads their markets.
      std::string m = fixture();
      r.body = R"([{"id":"1","seriesSlug":"eth-up-or-down-5m","markets":[]},{"id":"2","markets":[)" + m + "]}]";
    }
  });
  w.start();
  ASSERT_TRUE(w.discovery->lookup(1773307200, 300));
  ASSERT_TRUE(w.loop.run_until([&] { return !w.results.empty(); }, 5000));
  ASSERT_TRUE(w.results[0].found) << w.results[0].error;
  EXPECT_EQ(w.results[0].market.slug, "btc-updown-5m-1773307200");
  EXPECT_EQ(calls.load(), 3);
}

TEST(GammaDiscovery, ReportsWhyNothingWasFound) {
  World w;
  w.server.fallback([](const net::ServerRequest&, net::ServerResponse& r) {
    r.status = 200;
    r.body = "[]";
  });
  w.start();
  ASSERT_TRUE(w.discovery->lookup(1773307200, 900));
  ASSERT_TRUE(w.loop.run_until([&] { return !w.results.empty(); }, 5000));
  EXPECT_FALSE(w.results[0].found);
  EXPECT_EQ(w.results[0].slug, "btc-updown-15m-1773307200");
  EXPECT_NE(w.results[0].error.find("tag_slug"), std::string::npos) << w.results[0].error;
  EXPECT_EQ(iso8601_utc(1773307200), "2026-03-12T09:20:00Z");
}

}  // namespace
}  // namespace polybot::feed
