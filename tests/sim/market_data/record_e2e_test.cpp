// `polybot record` end to end: the real binary records the simulator's market channel over loopback TLS into a
// journal whose feed stream holds the raw frames; bad configs exit 2 naming the field.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "core/net/test_pki.hpp"
#include "journal/audit.hpp"
#include "sim/market_data/market_data_server.hpp"
#include "sim/market_data/window_catalog.hpp"

namespace polybot::sim {
namespace {

namespace fs = std::filesystem;

const std::string kBin = std::string(POLYBOT_BINARY_DIR) + "/app/polybot";

int run(const std::string& args) {
  const int rc = std::system((kBin + " " + args + " > /dev/null 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p);
  out << text;
}

TEST(RecordE2e, RecordsTheMarketChannelIntoTheFeedJournal) {
  const fs::path dir = fs::temp_directory_path() / ("polybot_record_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto pki = net::TestPki::create("polybot record test CA").value();
  MarketDataServerConfig c;
  auto leaf = pki.issue({"localhost"}, {"127.0.0.1"}).value();
  c.tls.cert_chain_pem = leaf.cert_pem;
  c.tls.private_key_pem = leaf.key_pem;
  MarketDataServer server(c);
  server.set_book("1111", R"({"event_type":"book","asset_id":"1111","market":"0xm","bids":[{"price":"0.4","size":"1"}],"asks":[],"timestamp":"1"})");
  ASSERT_TRUE(server.start());
  write(dir / "ca.pem", pki.ca_cert_pem);
  write(dir / "record.toml", "[record]\nduration_s = 1.5\nca_file = \"" + (dir / "ca.pem").string() +
                                 "\"\n[record.polymarket]\nurl = \"" + server.ws_url() + "\"\ntokens = [\"1111\"]\n");
  ASSERT_EQ(run("record --config " + (dir / "record.toml").string() + " --out " + (dir / "out").string()), 0);
  const auto stats = journal::journal_stats((dir / "out" / "journal").string());
  std::uint64_t raw = 0;
  for (const auto& s : stats) {
    if (s.stream == "feed") raw = s.raw_frames;
  }
  EXPECT_GE(raw, 1u);  // at least the initial dump
  EXPECT_GE(server.received().size(), 1u);

  write(dir / "bad.toml", "[record]\n[record.polymarket]\ntokens = []\n");
  EXPECT_EQ(run("record --config " + (dir / "bad.toml").string() + " --out " + (dir / "o2").string()), 2);
  EXPECT_EQ(run("record --config " + (dir / "missing.toml").string() + " --out " + (dir / "o3").string()), 2);
  EXPECT_EQ(run("record --help"), 0);
  fs::remove_all(dir);
}

TEST(RecordE2e, WithoutTokenIdsFollowsTheCurrentBtcWindowsFoundOnGamma) {
  const fs::path dir = fs::temp_directory_path() / ("polybot_record_follow_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto pki = net::TestPki::create("polybot record test CA").value();
  MarketDataServerConfig c;
  auto leaf = pki.issue({"localhost"}, {"127.0.0.1"}).value();
  c.tls.cert_chain_pem = leaf.cert_pem;
  c.tls.private_key_pem = leaf.key_pem;
  MarketDataServer server(c);
  // Real Gamma objects and a real book, re-timed to the windows open now (the binary runs on the live clock).
  const std::string data = std::string(POLYBOT_SOURCE_DIR) + "/tests/data/polymarket/";
  const auto all = load_gamma_windows(data + "BTC-5m-markets-2026-06-08.jsonl.gz").value();
  const SimBook book = load_rest_book(data + "http_responses__book.json").value();
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  const std::int64_t c5 = now / 300 * 300, c15 = now / 900 * 900;
  server.add_window(retime(all[0], all[0], 300, c5), variant(book, 0, "", "", now * 1000));
  server.add_window(retime(all[0], all[1], 300, c5 + 300), variant(book, 1, "", "", now * 1000));
  server.add_window(retime(all[0], all[2], 900, c15), variant(book, 2, "", "", now * 1000));
  server.add_window(retime(all[0], all[3], 900, c15 + 900), variant(book, 3, "", "", now * 1000));
  ASSERT_TRUE(server.start());
  write(dir / "ca.pem", pki.ca_cert_pem);
  write(dir / "follow.toml", "[record]\nduration_s = 2.0\nca_file = \"" + (dir / "ca.pem").string() +
                                 "\"\n[record.polymarket]\nurl = \"" + server.ws_url() + "\"\ngamma_url = \"" +
                                 server.rest_url() + "\"\nrest_url = \"" + server.rest_url() +
                                 "\"\nlookahead = 1\nseries = [\"5m\", \"15m\"]\n");
  ASSERT_EQ(run("record --config " + (dir / "follow.toml").string() + " --out " + (dir / "out").string()), 0);
  bool five = false, fifteen = false;
  for (const auto& m : server.received()) {
    five = five || m.find(all[0].tokens[0]) != std::string::npos || m.find(all[1].tokens[0]) != std::string::npos;
    fifteen = fifteen || m.find(all[2].tokens[0]) != std::string::npos || m.find(all[3].tokens[0]) != std::string::npos;
  }
  EXPECT_TRUE(five);
  EXPECT_TRUE(fifteen);
  EXPECT_GE(server.gamma_lookups(retime(all[0], all[0], 300, c5).slug), 1u);
  const auto stats = journal::journal_stats((dir / "out" / "journal").string());
  std::uint64_t raw = 0;
  for (const auto& s : stats) {
    if (s.stream == "feed") raw = s.raw_frames;
  }
  EXPECT_GE(raw, 4u);  // Gamma answers and the books' initial dumps

  write(dir / "bad_series.toml", "[record]\n[record.polymarket]\nseries = [\"1h\"]\n");
  EXPECT_EQ(run("record --config " + (dir / "bad_series.toml").string() + " --out " + (dir / "o4").string()), 2);
  write(dir / "bad_hash.toml", "[record]\n[record.polymarket]\nhash_check = \"maybe\"\n");
  EXPECT_EQ(run("record --config " + (dir / "bad_hash.toml").string() + " --out " + (dir / "o5").string()), 2);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace polybot::sim
