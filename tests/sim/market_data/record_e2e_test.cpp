// `polybot record` end to end: the real binary records the simulator's market channel over loopback TLS into a
// journal whose feed stream holds the raw frames; bad configs exit 2 naming the field.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "core/net/test_pki.hpp"
#include "journal/audit.hpp"
#include "sim/market_data/market_data_server.hpp"

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

}  // namespace
}  // namespace polybot::sim
