// Every indicator against TA-Lib's own values for a real BTC day (tests/data/ta/PROVENANCE.md): all 1,441 rows,
// all columns, empty cells exactly where TA-Lib has none.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "signal/indicator/kline_indicators.hpp"

namespace {

using polybot::signal::IndicatorValues;
using polybot::signal::KlineIndicators;

const std::string kDir = std::string(POLYBOT_SOURCE_DIR) + "/tests/data/ta/";

std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells;
    std::string cell;
    std::stringstream ss(line);
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  return rows;
}

struct Bar {
  double high, low, close;
};

std::vector<Bar> reference_bars() {
  std::vector<Bar> bars;
  for (const auto& r : read_csv(kDir + "TESTBTCUSDT-1m-1Dec2020to2Dec2020data.csv")) {
    bars.push_back({std::strtod(r.at(2).c_str(), nullptr), std::strtod(r.at(3).c_str(), nullptr),
                    std::strtod(r.at(4).c_str(), nullptr)});
  }
  return bars;
}

void expect_cell(const std::string& cell, double got, double rel_tol, std::size_t row, const char* col) {
  if (cell.empty()) {
    EXPECT_TRUE(std::isnan(got)) << col << " row " << row << " should be empty, got " << got;
    return;
  }
  const double want = std::strtod(cell.c_str(), nullptr);
  ASSERT_FALSE(std::isnan(got)) << col << " row " << row << " empty, TA-Lib has " << cell;
  const double scale = std::max(std::fabs(want), 1e-300);
  EXPECT_LE(std::fabs(got - want) / scale, rel_tol) << col << " row " << row << ": got " << got << " want " << cell;
}

TEST(KlineIndicators, MatchesTaLibOnEveryRowAndColumnOfARealBtcDay) {
  const auto bars = reference_bars();
  const auto ref = read_csv(kDir + "ta_reference_TESTBTCUSDT-1m-1Dec2020to2Dec2020data.csv");
  ASSERT_EQ(bars.size(), 1441u);
  ASSERT_EQ(ref.size(), bars.size());
  KlineIndicators ind;
  std::size_t bitwise_equal = 0, cells = 0;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const IndicatorValues& v = ind.update(bars[i].high, bars[i].low, bars[i].close);
    const auto& r = ref[i];
    ASSERT_EQ(r.size(), 12u) << "row " << i;
    EXPECT_EQ(std::strtod(r[1].c_str(), nullptr), v.close);
    expect_cell(r[2], v.rsi, 1e-9, i, "rsi14");
    expect_cell(r[3], v.macd, 1e-9, i, "macd");
    expect_cell(r[4], v.macd_signal, 1e-9, i, "macd_signal");
    expect_cell(r[5], v.macd_hist, 1e-9, i, "macd_hist");
    expect_cell(r[6], v.ema_fast, 1e-9, i, "ema12");
    expect_cell(r[7], v.ema_slow, 1e-9, i, "ema26");
    expect_cell(r[8], v.atr, 1e-9, i, "atr14");
    expect_cell(r[9], v.bb_upper, 1e-6, i, "bb_upper");
    expect_cell(r[10], v.bb_middle, 1e-6, i, "bb_middle");
    expect_cell(r[11], v.bb_lower, 1e-6, i, "bb_lower");
    const double got[] = {v.rsi, v.macd, v.macd_signal, v.macd_hist, v.ema_fast, v.ema_slow, v.atr,
                          v.bb_upper, v.bb_middle, v.bb_lower};
    for (int c = 0; c < 10; ++c) {
      const auto& cell = r[static_cast<std::size_t>(c) + 2];
      if (cell.empty()) continue;
      ++cells;
      if (std::strtod(cell.c_str(), nullptr) == got[c]) ++bitwise_equal;
    }
  }
  // Same operations in the same order as TA-Lib: the doubles are expected to be identical, not just close.
  EXPECT_EQ(bitwise_equal, cells);
}

TEST(KlineIndicators, FirstValidRowsAreTaLibs) {
  const auto bars = reference_bars();
  KlineIndicators ind;
  int first_rsi = -1, first_macd = -1, first_ema12 = -1, first_ema26 = -1, first_atr = -1, first_bb = -1;
  for (int i = 0; i < 60; ++i) {
    const auto& v = ind.update(bars[static_cast<std::size_t>(i)].high, bars[static_cast<std::size_t>(i)].low,
                               bars[static_cast<std::size_t>(i)].close);
    auto mark = [i](int& f, double x) { if (f < 0 && !std::isnan(x)) f = i; };
    mark(first_rsi, v.rsi);
    mark(first_macd, v.macd);
    mark(first_ema12, v.ema_fast);
    mark(first_ema26, v.ema_slow);
    mark(first_atr, v.atr);
    mark(first_bb, v.bb_middle);
  }
  EXPECT_EQ(first_ema12, 11);
  EXPECT_EQ(first_ema26, 25);
  EXPECT_EQ(first_rsi, 14);
  EXPECT_EQ(first_atr, 14);
  EXPECT_EQ(first_bb, 19);
  EXPECT_EQ(first_macd, 33);
}

}  // namespace
