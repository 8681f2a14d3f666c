// `polybot indicators --klines CSV [--out FILE]`: the TA-Lib indicator table of a Binance 1-minute kline file, one
// row per bar, as CSV. A cell is empty until its indicator is valid (TA-Lib's first-valid index); doubles are
// printed in shortest round-trip form, the close exactly as its decimal. Exit 2 naming the line on a bad row.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "app/cli.hpp"
#include "feed/kline_csv.hpp"
#include "signal/indicator/kline_indicators.hpp"

namespace polybot::app {
namespace {

void append_double(std::string& out, double v) {
  if (std::isnan(v)) return;
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

int run_indicators(const std::string& klines, const std::string& out_path) {
  auto rows = feed::read_kline_csv(klines);
  if (!rows) {
    const auto& e = rows.error();
    if (e.line > 0)
      std::fprintf(stderr, "polybot indicators: --klines %s: line %zu: %s\n", klines.c_str(), e.line, e.message.c_str());
    else
      std::fprintf(stderr, "polybot indicators: --klines %s: %s\n", klines.c_str(), e.message.c_str());
    return 2;
  }
  std::string out;
  out.reserve(rows->size() * 200 + 128);
  out += "open_time,close,rsi14,macd,macd_signal,macd_hist,ema12,ema26,atr14,bb_upper,bb_middle,bb_lower\n";
  signal::KlineIndicators ind;
  char num[32];
  for (const auto& r : *rows) {
    const auto& v = ind.update(r.high.to_double(), r.low.to_double(), r.close.to_double());
    auto t = std::to_chars(num, num + sizeof num, r.open_time_ms);
    out.append(num, t.ptr);
    out += ',';
    out.append(num, r.close.format(num));
    for (double x : {v.rsi, v.macd, v.macd_signal, v.macd_hist, v.ema_fast, v.ema_slow, v.atr, v.bb_upper,
                     v.bb_middle, v.bb_lower}) {
      out += ',';
      append_double(out, x);
    }
    out += '\n';
  }
  std::FILE* f = out_path.empty() ? stdout : std::fopen(out_path.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "polybot indicators: --out %s: cannot open for writing\n", out_path.c_str());
    return 1;
  }
  const bool ok = std::fwrite(out.data(), 1, out.size(), f) == out.size();
  const bool closed = (f == stdout) ? std::fflush(f) == 0 : std::fclose(f) == 0;
  if (!ok || !closed) {
    std::fprintf(stderr, "polybot indicators: write failed\n");
    return 1;
  }
  return 0;
}

}  // namespace

void add_indicators_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand(
      "indicators",
      "Indicator table (TA-Lib definitions: RSI 14, MACD 12/26/9, EMA 12/26, ATR 14, Bollinger 20/2) of a Binance "
      "1-minute kline CSV, as CSV on stdout");
  static std::string klines;
  static std::string out_path;
  cmd->add_option("--klines", klines,
                  "kline CSV: Binance /api/v3/klines 12 columns (with or without header) or "
                  "timestamp,open,high,low,close,volume")
      ->required();
  cmd->add_option("--out", out_path, "write the table here instead of stdout");
  cmd->callback([&ctx] { ctx.exit_code = run_indicators(klines, out_path); });
}

}  // namespace polybot::app
