// How long does each strategy take per consumed message (its decision path included), over the real-data replay
// sequence (klines, Binance ticks, reference reports, BookTops, timers)? Baseline in the same run: a strategy that
// only dispatches on the message type (the virtual call and the Envelope read). Verified first: every strategy
// emits intents on this sequence and two runs agree. Items/s = messages/s; p50/p99 (ns) of single calls.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "bench/signal/bench_util.hpp"
#include "signal/strategy_factory.hpp"
#include "tests/signal/replay_sequence.hpp"

namespace {

using namespace polybot;
using namespace polybot::signal;

const std::vector<testing::TimedMessage>& seq() {
  static const auto s = testing::build_replay_sequence(
      std::string(POLYBOT_SOURCE_DIR) + "/tests/data/ta/TESTBTCUSDT-1m-1Dec2020to2Dec2020data.csv", 1440);
  return s;
}

class CountingSink final : public IntentSink {
 public:
  bool emit(const Intent& in) noexcept override {
    ++count;
    hash = hash * 31 + in.reason + static_cast<std::uint64_t>(in.limit_price.raw);
    return true;
  }
  std::uint64_t count = 0, hash = 0;
};

class DispatchOnly final : public Strategy {
 public:
  const char* name() const noexcept override { return "dispatch_only"; }
  StrategyId id() const noexcept override { return StrategyId{99}; }
  void on_message(const Envelope& m, const Clock& c, IntentSink&) noexcept override {
    sum_ += static_cast<std::int64_t>(m.hdr.type) + (c.now_ns() & 1);
  }
  std::int64_t sum_ = 0;
};

std::unique_ptr<Strategy> make(const std::string& name) {
  if (name == "dispatch_only") return std::make_unique<DispatchOnly>();
  toml::table t;
  if (name == "directional") {
    t.insert("rsi_low", 45.0);
    t.insert("rsi_high", 55.0);
  }
  auto r = make_strategy(name, t);
  if (!r) {
    std::fprintf(stderr, "strategy_bench: %s\n", r.error().what().c_str());
    std::exit(1);
  }
  return std::move(*r);
}

std::pair<std::uint64_t, std::uint64_t> run_once(const std::string& name) {
  auto s = make(name);
  ManualClock clock;
  CountingSink sink;
  for (const auto& m : seq()) {
    clock.set(m.now_ns);
    s->on_message(m.msg, clock, sink);
  }
  return {sink.count, sink.hash};
}

void verify_or_die() {
  for (const char* n : {"directional", "fair_value", "pair_cost", "complete_set", "market_making"}) {
    const auto a = run_once(n), b = run_once(n);
    if (a.first == 0 || a != b) {
      std::fprintf(stderr, "strategy_bench: %s emitted %llu intents (or two runs differ); refusing to time\n", n,
                   static_cast<unsigned long long>(a.first));
      std::exit(1);
    }
  }
}

void BM_Strategy(benchmark::State& state, const std::string& name) {
  const auto& sq = seq();
  auto s = make(name);
  ManualClock clock;
  CountingSink sink;
  std::size_t i = 0;
  for (auto _ : state) {
    clock.set(sq[i].now_ns);
    s->on_message(sq[i].msg, clock, sink);
    if (++i == sq.size()) {
      i = 0;
      state.PauseTiming();
      s = make(name);  // time runs forward again
      state.ResumeTiming();
    }
  }
  benchmark::DoNotOptimize(sink.count);
  auto fresh = make(name);
  const bench::Percentiles p = bench::per_call(sq.size(), [&](std::size_t n) {
    clock.set(sq[n].now_ns);
    fresh->on_message(sq[n].msg, clock, sink);
  });
  state.counters["p50_ns"] = p.p50_ns;
  state.counters["p99_ns"] = p.p99_ns;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

BENCHMARK_CAPTURE(BM_Strategy, dispatch_only_baseline, std::string("dispatch_only"));
BENCHMARK_CAPTURE(BM_Strategy, directional, std::string("directional"));
BENCHMARK_CAPTURE(BM_Strategy, fair_value, std::string("fair_value"));
BENCHMARK_CAPTURE(BM_Strategy, pair_cost, std::string("pair_cost"));
BENCHMARK_CAPTURE(BM_Strategy, complete_set, std::string("complete_set"));
BENCHMARK_CAPTURE(BM_Strategy, market_making, std::string("market_making"));

}  // namespace

int main(int argc, char** argv) {
  verify_or_die();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
