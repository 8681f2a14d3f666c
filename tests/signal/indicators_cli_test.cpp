// Runs the real `polybot indicators` binary on real kline files: every cell of the TA-Lib reference day, every
// kline layout found in the wild (12-column with and without header, 13-column, OHLCV with date strings), and a
// bad row (exit 2, the message names the line).
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "signal/indicator/kline_indicators.hpp"

namespace {

const std::string kBinary = std::string(POLYBOT_BINARY_DIR) + "/app/polybot";
const std::string kData = std::string(POLYBOT_SOURCE_DIR) + "/tests/data/ta/";

struct RunResult {
  int exit_code = -1;
  std::string out;
};

RunResult run(const std::string& args) {
  RunResult r;
  std::FILE* p = ::popen((kBinary + " " + args).c_str(), "r");
  if (p == nullptr) return r;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::vector<std::vector<std::string>> split_csv(const std::string& text, bool skip_header) {
  std::vector<std::vector<std::string>> rows;
  std::stringstream in(text);
  std::string line;
  if (skip_header) std::getline(in, line);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells;
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = line.find(',', start);
      cells.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    rows.push_back(cells);
  }
  return rows;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

constexpr const char* kHeader =
    "open_time,close,rsi14,macd,macd_signal,macd_hist,ema12,ema26,atr14,bb_upper,bb_middle,bb_lower";

TEST(IndicatorsCommand, MatchesTheTaLibReferenceInEveryCell) {
  const RunResult r = run("indicators --klines " + kData + "TESTBTCUSDT-1m-1Dec2020to2Dec2020data.csv");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  ASSERT_EQ(r.out.substr(0, r.out.find('\n')), kHeader);
  const auto got = split_csv(r.out, true);
  const auto want = split_csv(slurp(kData + "ta_reference_TESTBTCUSDT-1m-1Dec2020to2Dec2020data.csv"), true);
  ASSERT_EQ(got.size(), 1441u);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].size(), 12u) << "row " << i;
    EXPECT_EQ(got[i][0], want[i][0]) << "open_time row " << i;
    EXPECT_EQ(got[i][1], want[i][1]) << "close row " << i;  // exact decimal
    for (std::size_t c = 2; c < 12; ++c) {
      const double tol = c >= 9 ? 1e-6 : 1e-9;
      if (want[i][c].empty()) {
        EXPECT_TRUE(got[i][c].empty()) << "row " << i << " col " << c << " should be empty";
        continue;
      }
      ASSERT_FALSE(got[i][c].empty()) << "row " << i << " col " << c;
      const double g = std::strtod(got[i][c].c_str(), nullptr), w = std::strtod(want[i][c].c_str(), nullptr);
      EXPECT_LE(std::fabs(g - w), tol * std::fabs(w)) << "row " << i << " col " << c;
    }
  }
}

// Computes the expected table in-process from a file's high/low/close columns (0-based indices).
std::vector<std::vector<std::string>> expected_from(const std::string& path, bool header, std::size_t hi,
                                                    std::size_t lo, std::size_t cl) {
  polybot::signal::KlineIndicators ind;
  std::vector<std::vector<std::string>> out;
  for (const auto& row : split_csv(slurp(path), header)) {
    const auto& v = ind.update(std::strtod(row.at(hi).c_str(), nullptr), std::strtod(row.at(lo).c_str(), nullptr),
                               std::strtod(row.at(cl).c_str(), nullptr));
    std::vector<std::string> cells{"", row.at(cl)};
    for (double x : {v.rsi, v.macd, v.macd_signal, v.macd_hist, v.ema_fast, v.ema_slow, v.atr, v.bb_upper,
                     v.bb_middle, v.bb_lower}) {
      char buf[40];
      cells.push_back(std::isnan(x) ? "" : (std::snprintf(buf, sizeof buf, "%.17g", x), std::string(buf)));
    }
    out.push_back(cells);
  }
  return out;
}

void expect_table(const std::string& file, bool header, std::int64_t first_open_ms) {
  const RunResult r = run("indicators --klines " + kData + file);
  ASSERT_EQ(r.exit_code, 0) << file;
  const auto got = split_csv(r.out, true);
  const auto want = expected_from(kData + file, header, 2, 3, 4);
  ASSERT_EQ(got.size(), want.size()) << file;
  ASSERT_EQ(got.size(), 40u) << file;
  EXPECT_EQ(std::strtoll(got[0][0].c_str(), nullptr, 10), first_open_ms) << file;
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(std::strtoll(got[i][0].c_str(), nullptr, 10), first_open_ms + static_cast<std::int64_t>(i) * 60000)
        << file << " row " << i;
    EXPECT_EQ(std::strtod(got[i][1].c_str(), nullptr), std::strtod(want[i][1].c_str(), nullptr)) << file;
    for (std::size_t c = 2; c < 12; ++c) {
      EXPECT_EQ(got[i][c].empty(), want[i][c].empty()) << file << " row " << i << " col " << c;
      if (!want[i][c].empty()) {
        EXPECT_EQ(std::strtod(got[i][c].c_str(), nullptr), std::strtod(want[i][c].c_str(), nullptr))
            << file << " row " << i << " col " << c;
      }
    }
  }
  EXPECT_FALSE(got.back()[3].empty()) << "MACD must be valid by row 33 of 40";
}

TEST(IndicatorsCommand, ReadsThirteenColumnKlinesWithHeader) {
  expect_table("juancodex42_BTCUSDT_1m_head40.csv", true, 1784615760000);
}

TEST(IndicatorsCommand, ReadsTwelveColumnKlinesWithoutHeaderIdentically) {
  expect_table("juancodex42_BTCUSDT_1m_head40_noheader_12col.csv", false, 1784615760000);
  const RunResult a = run("indicators --klines " + kData + "juancodex42_BTCUSDT_1m_head40.csv");
  const RunResult b = run("indicators --klines " + kData + "juancodex42_BTCUSDT_1m_head40_noheader_12col.csv");
  EXPECT_EQ(a.out, b.out);
}

TEST(IndicatorsCommand, ReadsOhlcvWithUtcDateStrings) {
  expect_table("benicio1007_2025_BTCUSDT_1m_head40.csv", true, 1735700400000);  // 2025-01-01 03:00:00 UTC
}

TEST(IndicatorsCommand, ExitsTwoNamingTheLineOfABadRow) {
  const std::string path = std::string(POLYBOT_BINARY_DIR) + "/indicators_cli_bad_row.csv";
  {
    std::ofstream f(path);
    f << "timestamp,open,high,low,close,volume\n"
         "2025-01-01 03:00:00,94098.9,94098.91,94049.47,94049.47,7.50148\n"
         "2025-01-01 03:01:00,94049.46,94049.46,oops,93980.36,4.83642\n";
  }
  const RunResult r = run("indicators --klines " + path + " 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("line 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("oops"), std::string::npos) << r.out;
}

TEST(IndicatorsCommand, ExitsTwoWithoutKlinesAndZeroOnHelp) {
  EXPECT_EQ(run("indicators 2>&1").exit_code, 2);
  const RunResult h = run("indicators --help");
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("--klines"), std::string::npos);
}

}  // namespace
