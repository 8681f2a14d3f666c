// How long does one indicator update take, and all the updates of one tick together, compared with recomputing
// the same indicators over a window (what a batch TA call per tick does)? Verified first: incremental and batch
// agree bit for bit on the same bars. Items/s = updates/s; the per-tick benchmark also reports p50/p99 (ns) of
// single calls timed with the TSC (empty-region overhead subtracted).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "bench/signal/bench_util.hpp"
#include "signal/indicator/book_imbalance.hpp"
#include "signal/indicator/kline_indicators.hpp"
#include "signal/indicator/realized_volatility.hpp"

namespace {

using namespace polybot;
using namespace polybot::signal;
using bench::Bar;

const std::vector<Bar>& bars() {
  static const std::vector<Bar> b = bench::load_bars();
  return b;
}

// The baseline: every indicator recomputed from scratch over the last `window` bars (TA-Lib batch semantics).
IndicatorValues recompute(const Bar* from, std::size_t window) {
  KlineIndicators k;
  IndicatorValues v;
  for (std::size_t i = 0; i < window; ++i) v = k.update(from[i].high, from[i].low, from[i].close);
  return v;
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

void verify_or_die() {
  const auto& b = bars();
  KlineIndicators inc;
  IndicatorValues v;
  for (std::size_t i = 0; i < 200; ++i) v = inc.update(b[i].high, b[i].low, b[i].close);
  const IndicatorValues w = recompute(b.data(), 200);
  if (!same(v.rsi, w.rsi) || !same(v.macd, w.macd) || !same(v.macd_signal, w.macd_signal) || !same(v.atr, w.atr) ||
      !same(v.bb_upper, w.bb_upper) || !same(v.ema_slow, w.ema_slow) || std::isnan(v.macd)) {
    std::fprintf(stderr, "indicator_bench: incremental and recomputed values differ; refusing to time\n");
    std::exit(1);
  }
}

template <class Ind, class Fn>
void run_one(benchmark::State& state, Ind ind, Fn fn) {
  const auto& b = bars();
  std::size_t i = 0;
  for (auto _ : state) {
    fn(ind, b[i]);
    if (++i == b.size()) i = 0;
  }
  benchmark::DoNotOptimize(ind);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_Ema(benchmark::State& s) {
  run_one(s, Ema(12), [](Ema& e, const Bar& x) { benchmark::DoNotOptimize(e.update(x.close)); });
}
void BM_Rsi(benchmark::State& s) {
  run_one(s, Rsi(14), [](Rsi& e, const Bar& x) { benchmark::DoNotOptimize(e.update(x.close)); });
}
void BM_Macd(benchmark::State& s) {
  run_one(s, Macd(), [](Macd& e, const Bar& x) { benchmark::DoNotOptimize(e.update(x.close)); });
}
void BM_Atr(benchmark::State& s) {
  run_one(s, Atr(14), [](Atr& e, const Bar& x) { benchmark::DoNotOptimize(e.update(x.high, x.low, x.close)); });
}
void BM_Bollinger(benchmark::State& s) {
  run_one(s, Bollinger(20), [](Bollinger& e, const Bar& x) { benchmark::DoNotOptimize(e.update(x.close)); });
}
void BM_RangeVolatility(benchmark::State& s) {
  run_one(s, RangeVolatility(5), [](RangeVolatility& e, const Bar& x) { benchmark::DoNotOptimize(e.update(x.high, x.low)); });
}
void BM_RealizedVolatility(benchmark::State& s) {
  std::int64_t t = 0;
  run_one(s, RealizedVolatility(300), [&t](RealizedVolatility& e, const Bar& x) {
    e.sample(t += 1'000'000'000, x.close);
    benchmark::DoNotOptimize(e.sigma_per_sqrt_second());
  });
}
void BM_BookImbalance(benchmark::State& s) {
  TokenTop t{};
  t.valid = 1;
  t.bid_depth = Qty::from_units(300);
  t.ask_depth = Qty::from_units(200);
  for (auto _ : s) {
    benchmark::DoNotOptimize(t);
    benchmark::DoNotOptimize(token_imbalance(t));
  }
  s.SetItemsProcessed(static_cast<std::int64_t>(s.iterations()));
}

// Everything one tick updates: the kline set (RSI, MACD, EMA x2, ATR, Bollinger, range), the book imbalance and
// realised vol.
struct TickState {
  KlineIndicators k;
  RealizedVolatility rv{300};
  TokenTop top{};
  std::int64_t t = 0;
  double sink = 0;
  void update(const Bar& x) noexcept {
    const IndicatorValues& v = k.update(x.high, x.low, x.close);
    rv.sample(t += 1'000'000'000, x.close);
    top.bid_depth.raw = static_cast<std::int64_t>(x.close);
    sink += v.rsi + token_imbalance(top) + rv.sigma_per_sqrt_second();
  }
};

void BM_AllIndicatorsPerTick(benchmark::State& s) {
  const auto& b = bars();
  TickState ts;
  ts.top.valid = 1;
  ts.top.ask_depth = Qty::from_units(1);
  std::size_t i = 0;
  for (auto _ : s) {
    ts.update(b[i]);
    if (++i == b.size()) i = 0;
  }
  benchmark::DoNotOptimize(ts.sink);
  const bench::Percentiles p = bench::per_call(200'000, [&](std::size_t n) { ts.update(b[n % b.size()]); });
  s.counters["p50_ns"] = p.p50_ns;
  s.counters["p99_ns"] = p.p99_ns;
  s.counters["tsc_overhead_ns"] = p.overhead_ns;
  s.SetItemsProcessed(static_cast<std::int64_t>(s.iterations()));
}

// Baseline: the same indicators recomputed over the last `window` bars on every tick.
void BM_NaiveRecomputePerTick(benchmark::State& s) {
  const auto& b = bars();
  const std::size_t window = static_cast<std::size_t>(s.range(0));
  std::size_t i = window;
  double sink = 0;
  for (auto _ : s) {
    sink += recompute(&b[i - window], window).rsi;
    if (++i == b.size()) i = window;
  }
  benchmark::DoNotOptimize(sink);
  const bench::Percentiles p = bench::per_call(2'000, [&](std::size_t n) {
    const std::size_t at = window + n % (b.size() - window);
    sink += recompute(&b[at - window], window).rsi;
  });
  s.counters["p50_ns"] = p.p50_ns;
  s.counters["p99_ns"] = p.p99_ns;
  s.SetItemsProcessed(static_cast<std::int64_t>(s.iterations()));
}

BENCHMARK(BM_Ema);
BENCHMARK(BM_Rsi);
BENCHMARK(BM_Macd);
BENCHMARK(BM_Atr);
BENCHMARK(BM_Bollinger);
BENCHMARK(BM_RangeVolatility);
BENCHMARK(BM_RealizedVolatility);
BENCHMARK(BM_BookImbalance);
BENCHMARK(BM_AllIndicatorsPerTick);
BENCHMARK(BM_NaiveRecomputePerTick)->Arg(60)->Arg(200);

}  // namespace

int main(int argc, char** argv) {
  verify_or_die();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
