// Every strategy over a message sequence built from real klines: replayed twice -> identical intents byte for
// byte, and equal to the recorded golden digests (tests/data/signal/replay_golden.txt; regenerate with
// POLYBOT_UPDATE_GOLDEN=1 after an intended behaviour change). Plus the cross-strategy property: no Place intent
// on an invalid book.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>

#include "replay_sequence.hpp"
#include "signal/strategy_factory.hpp"
#include "strategy_test_util.hpp"

namespace polybot::signal {
namespace {

using namespace testing;

const char* const kNames[] = {"directional", "fair_value", "pair_cost", "complete_set", "market_making"};

const std::vector<TimedMessage>& sequence() {
  static const std::vector<TimedMessage> seq = build_replay_sequence(
      std::string(POLYBOT_SOURCE_DIR) + "/tests/data/ta/TESTBTCUSDT-1m-1Dec2020to2Dec2020data.csv", 360);
  return seq;
}

std::unique_ptr<Strategy> make(const char* name) {
  toml::table t;
  if (std::string(name) == "directional") {
    t.insert("rsi_low", 45.0);  // looser than the product's 30/70 so six hours of data trade a few times
    t.insert("rsi_high", 55.0);
    t.insert("imbalance_source", "binance");
    t.insert("imbalance_up", 1.0);
    t.insert("imbalance_down", 1.0);
  }
  auto r = make_strategy(name, t);
  EXPECT_TRUE(r.has_value()) << name;
  return std::move(*r);
}

// Runs one strategy over the sequence, feeding every taker Place back as a full fill (resting post-only quotes are
// not filled: nothing trades against them in a replay), at most 8 per input message.
std::vector<Intent> run(const char* name) {
  auto s = make(name);
  ManualClock clock;
  RecordingSink sink;
  std::size_t fed = 0;
  for (const TimedMessage& m : sequence()) {
    clock.set(m.now_ns);
    s->on_message(m.msg, clock, sink);
    int fills = 0;
    for (; fed < sink.intents.size(); ++fed) {
      const Intent in = sink.intents[fed];
      if (in.action == IntentAction::kPlace && in.post_only == 0 && fills++ < 8) s->on_message(fill_for(in), clock, sink);
    }
  }
  return sink.intents;
}

std::uint64_t fnv1a(const std::vector<Intent>& v) {
  std::uint64_t h = 1469598103934665603ull;
  const auto* p = reinterpret_cast<const unsigned char*>(v.data());
  for (std::size_t i = 0; i < v.size() * sizeof(Intent); ++i) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

TEST(StrategyReplay, SameSequenceTwiceGivesIdenticalIntentsByteForByte) {
  for (const char* name : kNames) {
    const auto a = run(name);
    const auto b = run(name);
    ASSERT_EQ(a.size(), b.size()) << name;
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(Intent)), 0) << name;
    EXPECT_GT(a.size(), 0u) << name << " never acted on six hours of real data";
  }
}

TEST(StrategyReplay, MatchesTheGoldenIntents) {
  const std::string path = std::string(POLYBOT_SOURCE_DIR) + "/tests/data/signal/replay_golden.txt";
  std::ostringstream now;
  for (const char* name : kNames) {
    const auto v = run(name);
    char line[128];
    std::snprintf(line, sizeof line, "%s %zu %016llx\n", name, v.size(), static_cast<unsigned long long>(fnv1a(v)));
    now << line;
  }
  if (std::getenv("POLYBOT_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path) << now.str();
    GTEST_SKIP() << "golden rewritten: " << path;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << path;
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(now.str(), want.str());
}

// Property over the real-data sequence and over random books: a Place intent only ever names a token whose latest
// book was valid (not flagged invalid, side valid, a tick).
TEST(AllStrategies, NeverPlaceAnOrderOnAnInvalidBook) {
  std::mt19937_64 rng(99);
  for (const char* name : kNames) {
    for (int pass = 0; pass < 2; ++pass) {
      auto s = make(name);
      ManualClock clock;
      RecordingSink sink;
      std::map<std::uint32_t, bool> token_valid;  // by token id, from the latest BookTop
      std::size_t places = 0;
      auto feed = [&](std::int64_t now, const Envelope& m) {
        clock.set(now);
        if (m.is<BookTop>()) {
          const BookTop& b = m.as<BookTop>();
          const bool flagged = (b.hdr.flags & msg_flag::kInvalid) != 0;
          token_valid[b.up.token.value] = !flagged && b.up.valid;
          token_valid[b.down.token.value] = !flagged && b.down.valid;
        }
        const std::size_t before = sink.intents.size();
        s->on_message(m, clock, sink);
        for (std::size_t k = before; k < sink.intents.size(); ++k) {
          const Intent& in = sink.intents[k];
          if (in.action != IntentAction::kPlace) continue;
          ++places;
          ASSERT_TRUE(in.hdr.instrument.valid()) << name;
          ASSERT_TRUE(token_valid[in.hdr.instrument.value]) << name << " placed on an invalid book";
        }
      };
      if (pass == 0) {
        for (const TimedMessage& m : sequence()) {
          Envelope e = m.msg;
          if (e.is<BookTop>() && rng() % 7 == 0) e.hdr.flags |= msg_flag::kInvalid;
          feed(m.now_ns, e);
        }
      } else {
        // Random books around a cheap complete set and a strong fair-value signal, validity at random.
        const char* asks[] = {"0.20", "0.35", "0.42", "0.45", "0.48", "0.55", "0.65", "0.80"};
        std::int64_t t = (kW0 - 200) * kSec;
        for (std::int64_t k = kW0 - 200; k < kW0; ++k)
          feed(k * kSec, ref_price(k * 1000, 30000)), feed(k * kSec, btc_tick(k * kSec, 30000 + k % 2, 30000 + k % 2));
        feed(kW0 * kSec, ref_price(kW0 * 1000, 30000));
        t = kW0 * kSec;
        for (int step = 0; step < 3000; ++step) {
          t += static_cast<std::int64_t>(rng() % (kSec / 10));
          Side2 up, down;
          up.ask = asks[rng() % 8];
          down.ask = asks[rng() % 8];
          up.bid = "0.10";
          down.bid = "0.10";
          up.valid = rng() % 3 != 0;
          down.valid = rng() % 3 != 0;
          Envelope b = book_top(kW0, up, down);
          if (rng() % 5 == 0) b.hdr.flags |= msg_flag::kInvalid;
          feed(t, b);
          if (step % 50 == 0) feed(t, btc_tick(t, 30050, 30050));
        }
      }
      if (std::string(name) != "directional") {
        EXPECT_GT(places, 0u) << name << " pass " << pass;
      }
    }
  }
}

}  // namespace
}  // namespace polybot::signal
