// The gcc "fuzz smoke" run: every seed (corpus + fixtures) and a fixed number of deterministic random mutations
// of them go through each parser's fuzz entry, so CI without clang/libFuzzer still exercises the parsers on
// hostile input. Asserts that nothing crashes and that every malformed input is counted, not silently dropped.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "fuzz/fuzz_entries.hpp"
#include "test_util.hpp"

namespace polybot::feed {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> seeds_from(const std::vector<std::string>& dirs) {
  std::vector<std::string> seeds;
  for (const auto& d : dirs) {
    for (const auto& e : fs::directory_iterator(d)) {
      if (!e.is_regular_file() || e.path().extension() != ".json") continue;
      seeds.push_back(test::read_text(e.path().string()));
    }
  }
  return seeds;
}

std::string mutate(const std::string& in, const std::vector<std::string>& pool, std::mt19937_64& rng) {
  std::string s = in;
  const int ops = 1 + static_cast<int>(rng() % 4);
  for (int k = 0; k < ops; ++k) {
    const std::size_t pos = s.empty() ? 0 : rng() % s.size();
    switch (rng() % 7) {
      case 0:  // flip a bit
        if (!s.empty()) s[pos] = static_cast<char>(s[pos] ^ (1 << (rng() % 8)));
        break;
      case 1:  // truncate
        s.resize(pos);
        break;
      case 2:  // insert a structural character
        s.insert(pos, 1, "{}[]\",:0-.e\\"[rng() % 12]);
        break;
      case 3:  // delete a run
        if (!s.empty()) s.erase(pos, 1 + rng() % 8);
        break;
      case 4: {  // splice from another seed
        const std::string& o = pool[rng() % pool.size()];
        if (!o.empty()) s.insert(pos, o.substr(rng() % o.size(), 1 + rng() % 64));
        break;
      }
      case 5:  // replace a digit with a huge number
        s.insert(pos, "99999999999999999999999");
        break;
      default:  // duplicate a run
        if (!s.empty()) s.insert(pos, s.substr(pos, 1 + rng() % 32));
        break;
    }
  }
  return s;
}

std::size_t iterations() {
  const char* env = std::getenv("POLYBOT_FUZZ_SMOKE_RUNS");
  return env != nullptr ? static_cast<std::size_t>(std::strtoull(env, nullptr, 10)) : 5000;
}

void run(void (*entry)(const std::uint8_t*, std::size_t), const std::vector<std::string>& seeds, std::uint64_t seed) {
  ASSERT_FALSE(seeds.empty());
  for (const auto& s : seeds) entry(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  std::mt19937_64 rng(seed);
  const std::size_t n = iterations();
  for (std::size_t i = 0; i < n; ++i) {
    const std::string m = mutate(seeds[i % seeds.size()], seeds, rng);
    entry(reinterpret_cast<const std::uint8_t*>(m.data()), m.size());
  }
}

const std::string kDir = std::string(POLYBOT_SOURCE_DIR) + "/tests/feed/fuzz/corpus/";
const std::string kPm = std::string(POLYBOT_SOURCE_DIR) + "/tests/data/polymarket";

TEST(FuzzSmoke, PolymarketParserSurvivesMutatedFrames) {
  auto& h = fuzz::Harness::get();
  const std::uint64_t before = h.polymarket.stats().frames;
  run(&fuzz::fuzz_polymarket, seeds_from({kDir + "polymarket", kPm}), 1);
  EXPECT_GT(h.polymarket.stats().frames, before);
  EXPECT_GT(h.polymarket.stats().total_errors(), 0u);  // mutations must be caught, not accepted
}

TEST(FuzzSmoke, BinanceParserSurvivesMutatedFrames) {
  auto& h = fuzz::Harness::get();
  run(&fuzz::fuzz_binance, seeds_from({kDir + "binance"}), 2);
  EXPECT_GT(h.binance.stats().total_errors(), 0u);
  EXPECT_GT(h.binance.stats().ok[static_cast<std::size_t>(FrameKind::kDepthDiff)], 0u);
}

TEST(FuzzSmoke, RefPriceParserSurvivesMutatedFrames) {
  auto& h = fuzz::Harness::get();
  run(&fuzz::fuzz_ref_price, seeds_from({kDir + "ref_price"}), 3);
  EXPECT_GT(h.ref.stats().total_errors(), 0u);
}

TEST(FuzzSmoke, GammaParserSurvivesMutatedMarkets) {
  run(&fuzz::fuzz_gamma, seeds_from({kPm}), 4);
  SUCCEED();
}

TEST(FuzzSmoke, NoValidBookIsCrossed) {
  // Whatever the mutations did, a book reported valid is never crossed.
  auto& h = fuzz::Harness::get();
  for (InstrumentId id : h.books.book_ids()) {
    const book::Book* b = h.books.book(id);
    if (b->valid() && b->has_bid() && b->has_ask()) {
      EXPECT_LT(b->best_bid(), b->best_ask());
    }
  }
  for (InstrumentId id : h.books.depth_ids()) {
    const book::DepthBook* b = h.books.depth(id);
    if (b->valid() && b->has_bid() && b->has_ask()) {
      EXPECT_LT(b->best_bid().price, b->best_ask().price);
    }
  }
}

}  // namespace
}  // namespace polybot::feed
