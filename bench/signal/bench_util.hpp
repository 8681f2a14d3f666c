// Shared by the signal benchmarks: real kline bars, and per-call latency percentiles measured with the TSC.
#pragma once

#include <x86intrin.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace polybot::signal::bench {

struct Bar {
  double high, low, close;
};

inline std::vector<Bar> load_bars() {
  std::vector<Bar> bars;
  std::ifstream in(std::string(POLYBOT_SOURCE_DIR) + "/tests/data/ta/TESTBTCUSDT-1m-1Dec2020to2Dec2020data.csv");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string c[5];
    for (auto& x : c) std::getline(ss, x, ',');
    bars.push_back({std::strtod(c[2].c_str(), nullptr), std::strtod(c[3].c_str(), nullptr),
                    std::strtod(c[4].c_str(), nullptr)});
  }
  return bars;
}

inline std::uint64_t tsc_begin() noexcept {
  _mm_lfence();
  return __rdtsc();
}
inline std::uint64_t tsc_end() noexcept {
  unsigned aux;
  const std::uint64_t t = __rdtscp(&aux);
  _mm_lfence();
  return t;
}

struct Percentiles {
  double p50_ns, p99_ns, overhead_ns;
};

// Times `op()` `n` times one call at a time; subtracts the median cost of an empty timed region.
template <class Op>
Percentiles per_call(std::size_t n, Op op) {
  static const double ghz = [] {
    LiveClock clock(50);
    return clock.tsc_ghz() > 0 ? clock.tsc_ghz() : 1.0;
  }();
  std::vector<std::uint64_t> t(n), e(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t a = tsc_begin();
    const std::uint64_t b = tsc_end();
    e[i] = b - a;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t a = tsc_begin();
    op(i);
    const std::uint64_t b = tsc_end();
    t[i] = b - a;
  }
  std::sort(t.begin(), t.end());
  std::sort(e.begin(), e.end());
  const double over = static_cast<double>(e[n / 2]) / ghz;
  return {static_cast<double>(t[n / 2]) / ghz - over, static_cast<double>(t[n * 99 / 100]) / ghz - over, over};
}

}  // namespace polybot::signal::bench
