#include "sim/backtest/report.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace polybot::sim::backtest {

namespace {

std::string civil(std::int64_t secs) {
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  std::int64_t rem = secs - days * 86400;
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[128];
  std::snprintf(buf, sizeof buf, "%04" PRId64 "-%02" PRId64 "-%02" PRId64 "T%02" PRId64 ":%02" PRId64 ":%02" PRId64, y,
                m, d, rem / 3600, rem % 3600 / 60, rem % 60);
  return buf;
}

const char* outcome_str(Outcome o) {
  return o == Outcome::kUp ? "Up" : (o == Outcome::kDown ? "Down" : "");
}
const char* side_str(Side s) { return s == Side::kBuy ? "BUY" : "SELL"; }
const char* type_str(OrderType t) {
  switch (t) {
    case OrderType::kGtc: return "GTC";
    case OrderType::kGtd: return "GTD";
    case OrderType::kFok: return "FOK";
    case OrderType::kFak: return "FAK";
  }
  return "?";
}
const char* action_str(IntentAction a) {
  switch (a) {
    case IntentAction::kSkip: return "skip";
    case IntentAction::kPlace: return "place";
    case IntentAction::kCancel: return "cancel";
    case IntentAction::kCancelAll: return "cancel_all";
    case IntentAction::kHalt: return "halt";
  }
  return "?";
}
const char* deny_str(DenyReason r) {
  switch (r) {
    case DenyReason::kNone: return "";
    case DenyReason::kHalted: return "halted";
    case DenyReason::kReducing: return "reducing";
    case DenyReason::kDrawdownBreaker: return "drawdown_breaker";
    case DenyReason::kVolatilityBreaker: return "volatility_breaker";
    case DenyReason::kInsufficientCapital: return "insufficient_capital";
    case DenyReason::kBelowMinOrder: return "below_min_order";
    case DenyReason::kPositionLimit: return "position_limit";
    case DenyReason::kOneBookPerWindow: return "orders_per_window";
    case DenyReason::kInvalidBook: return "invalid_market";
    case DenyReason::kUnknownOrderState: return "unknown_order_state";
    case DenyReason::kTooLate: return "too_late";
    case DenyReason::kRateLimited: return "rate_limited";
    case DenyReason::kChannelFull: return "channel_full";
    case DenyReason::kExposureLimit: return "exposure_limit";
    case DenyReason::kHeartbeatFailed: return "heartbeat_failed";
  }
  return "?";
}

std::string num(double v, int prec) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}

std::string slug_of(const BacktestResult& r, std::int64_t w) {
  return w >= 0 && static_cast<std::size_t>(w) < r.windows.size() ? r.windows[static_cast<std::size_t>(w)].slug : "";
}

bool write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << text;
  return static_cast<bool>(f);
}

std::string svg_plot(const BacktestResult& r) {
  // Legend rows of three below the plot; the plot keeps its size whatever the number of strategies.
  const double legend_rows = static_cast<double>((r.stats.size() + 2) / 3);
  const double W = 900, L = 70, R = 20, T = 40, B = 30 + 18 * legend_rows, H = 380 + B;
  std::int64_t t0 = r.first_ns, t1 = r.last_ns;
  double lo = r.capital.to_double(), hi = lo;
  for (const auto& p : r.equity) {
    lo = std::min(lo, p.equity.to_double());
    hi = std::max(hi, p.equity.to_double());
  }
  if (hi - lo < 1.0) {
    hi += 0.5;
    lo -= 0.5;
  }
  const double pad = (hi - lo) * 0.05;
  hi += pad;
  lo -= pad;
  if (t1 <= t0) t1 = t0 + 1;
  auto x = [&](std::int64_t t) { return L + (W - L - R) * static_cast<double>(t - t0) / static_cast<double>(t1 - t0); };
  auto y = [&](double v) { return T + (H - T - B) * (hi - v) / (hi - lo); };
  static const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H << "\" viewBox=\"0 0 " << W
    << " " << H << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  s << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s << "<text x=\"" << L << "\" y=\"22\" font-size=\"15\">polybot backtest: equity (USDC) per strategy — order book "
    << (r.recorded_book_windows == 0 ? "MODELLED, not recorded"
                                     : (r.recorded_book_windows == r.windows.size() ? "recorded" : "partly MODELLED"))
    << (r.synthetic ? "; SYNTHETIC windows, proxy settlement" : "") << "</text>\n";
  for (int i = 0; i <= 4; ++i) {
    const double v = lo + (hi - lo) * i / 4.0;
    s << "<line x1=\"" << L << "\" x2=\"" << W - R << "\" y1=\"" << num(y(v), 1) << "\" y2=\"" << num(y(v), 1)
      << "\" stroke=\"#ddd\"/>\n";
    s << "<text x=\"" << L - 6 << "\" y=\"" << num(y(v) + 4, 1) << "\" text-anchor=\"end\">" << num(v, 2) << "</text>\n";
  }
  for (int i = 0; i <= 4; ++i) {
    const std::int64_t t = t0 + (t1 - t0) * i / 4;
    s << "<text x=\"" << num(x(t), 1) << "\" y=\"" << H - B + 18 << "\" text-anchor=\"middle\">"
      << civil(t / 1'000'000'000).substr(0, 16) << "</text>\n";
  }
  s << "<line x1=\"" << L << "\" x2=\"" << W - R << "\" y1=\"" << num(y(r.capital.to_double()), 1) << "\" y2=\""
    << num(y(r.capital.to_double()), 1) << "\" stroke=\"#888\" stroke-dasharray=\"4 4\"/>\n";
  for (std::size_t k = 0; k < r.stats.size(); ++k) {
    const char* color = kColors[k % 6];
    s << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"1.5\" points=\"";
    double last_y = y(r.capital.to_double());
    bool first = true;
    for (const auto& p : r.equity) {
      if (p.strategy != k) continue;
      const double px = x(p.time_ns), py = y(p.equity.to_double());
      // Steps: equity changes at settlement instants.
      if (!first) s << " " << num(px, 1) << "," << num(last_y, 1);
      s << (first ? "" : " ") << num(px, 1) << "," << num(py, 1);
      last_y = py;
      first = false;
    }
    s << "\"/>\n";
    s << "<text x=\"" << L + 270 * static_cast<double>(k % 3) << "\" y=\""
      << H - B + 38 + 18 * static_cast<double>(k / 3) << "\" fill=\"" << color << "\">"
      << r.stats[k].name << " (net " << r.stats[k].net_pnl.to_string() << ")</text>\n";
  }
  s << "</svg>\n";
  return s.str();
}

}  // namespace

std::string iso_time_ns(std::int64_t ns) {
  const std::int64_t secs = ns >= 0 ? ns / 1'000'000'000 : (ns - 999'999'999) / 1'000'000'000;
  const std::int64_t ms = (ns - secs * 1'000'000'000) / 1'000'000;
  std::string out = civil(secs);
  if (ms != 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, ".%03" PRId64, ms);
    out += buf;
  }
  return out + "Z";
}

std::string summary_text(const BacktestResult& r, const ReportInfo& info) {
  std::ostringstream s;
  s << "polybot backtest\n";
  s << "data: " << info.data_dir << "\n";
  s << "config: " << info.config_name << "\n";
  s << "span: " << iso_time_ns(r.first_ns) << " .. " << iso_time_ns(r.last_ns) << " (" << r.events << " events)\n";
  if (r.synthetic) {
    s << "windows: " << r.windows.size() << " (" << r.interval_s << " s) SYNTHETIC from Binance klines, settled by "
      << "the kline proxy: " << r.windows_settled << "\n";
  } else {
    s << "windows: " << r.windows.size() << " (" << r.interval_s << " s), settled from Chainlink reports: "
      << r.windows_settled << ", agreeing with Polymarket: " << r.settled_matching_venue
      << ", contradicting: " << r.settled_contradicting_venue << "\n";
  }
  s << "starting capital per strategy: " << r.capital.to_string() << " USDC\n";
  s << "\nHONESTY NOTES\n";
  for (const auto& n : r.notes) s << "- " << n << "\n";
  s << "\nPER STRATEGY\n";
  for (std::size_t k = 0; k < r.stats.size(); ++k) {
    const StrategyStats& st = r.stats[k];
    std::map<std::uint32_t, std::size_t> skip_reasons;
    for (const auto& d : r.decisions) {
      if (d.strategy == k && d.action == IntentAction::kSkip) ++skip_reasons[d.reason];
    }
    s << st.name << ": trades(fills) " << st.fills << " (taker " << st.taker_fills << ", maker " << st.maker_fills
      << "), orders " << st.orders << ", denied " << st.denied << ", skips " << st.skips << "\n";
    s << "  windows traded " << st.windows_traded << ", wins " << st.wins << ", losses " << st.losses
      << ", unsettled " << st.unsettled << ", win rate " << num(st.win_rate * 100.0, 1) << "%\n";
    s << "  PnL after fees " << st.net_pnl.to_string() << " USDC (fees " << st.fees.to_string()
      << "), final equity " << st.final_equity.to_string() << ", unsettled cost " << st.unsettled_cost.to_string()
      << "\n";
    s << "  max drawdown " << st.max_drawdown.to_string() << " USDC (" << num(st.max_drawdown_pct * 100.0, 2)
      << "%), Sharpe (annualised, per-window returns) " << num(st.sharpe, 3) << ", exposure "
      << num(st.exposure * 100.0, 1) << "% of windows" << (st.halted ? ", HALTED by the strategy" : "") << "\n";
    if (!skip_reasons.empty()) {
      s << "  skips by the strategy's reason code:";
      for (const auto& [code, count] : skip_reasons) s << " " << code << " x" << count;
      s << "\n";
    }
  }
  s << "\nFILES (merge conflicts, first file by path wins: markets " << info.market_conflicts << ", klines "
    << info.kline_conflicts << ", Chainlink reports " << info.chainlink_conflicts << ")\n";
  for (const auto& f : info.files) {
    s << "- " << f.kind << ": " << f.path << " (" << f.records << " records" << (f.note.empty() ? "" : "; " + f.note)
      << ")\n";
  }
  return s.str();
}

Result<std::string, std::string> write_report(const BacktestResult& r, const ReportInfo& info, const std::string& out_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return Err{"--out " + out_dir + ": cannot create directory: " + ec.message()};
  const fs::path dir(out_dir);

  std::ostringstream w;
  w << "slug,start,end,strike,final,outcome,traded,pnl\n";
  for (std::size_t i = 0; i < r.windows.size(); ++i) {
    const auto& mw = r.windows[i];
    const auto& row = r.window_rows[i];
    const Settlement& st = row.settlement;
    w << mw.slug << "," << iso_time_ns(mw.start_s * 1'000'000'000) << "," << iso_time_ns(mw.end_s * 1'000'000'000)
      << "," << (st.has_strike ? st.strike.to_decimal() : "") << "," << (st.has_final ? st.final_value.to_decimal() : "")
      << "," << outcome_str(st.outcome) << "," << (row.traded ? 1 : 0) << ","
      << (row.pnl_known ? row.pnl.to_string() : "") << "\n";
  }
  std::ostringstream t;
  t << "time,strategy,slug,client_id,side,outcome,liquidity,order_type,price,shares,notional,fee,reason\n";
  for (const auto& f : r.fills) {
    t << iso_time_ns(f.time_ns) << "," << r.stats[f.strategy].name << "," << r.windows[f.window].slug << ","
      << f.client_id << "," << side_str(f.side) << "," << outcome_str(f.outcome) << ","
      << (f.liquidity == Liquidity::kTaker ? "taker" : "maker") << "," << type_str(f.order_type) << ","
      << f.price.to_string() << "," << f.shares.to_string() << "," << f.notional.to_string() << ","
      << f.fee.to_string() << "," << f.reason << "\n";
  }
  std::ostringstream d;
  d << "time,strategy,slug,action,outcome,side,reason,limit,shares,denied,input0,input1,input2,input3\n";
  for (const auto& x : r.decisions) {
    d << iso_time_ns(x.time_ns) << "," << r.stats[x.strategy].name << "," << slug_of(r, x.window) << ","
      << action_str(x.action) << "," << outcome_str(x.outcome) << "," << side_str(x.side) << "," << x.reason << ","
      << x.limit.to_string() << "," << x.shares.to_string() << "," << deny_str(x.denied);
    for (double v : x.inputs) d << "," << num(v, 6);
    d << "\n";
  }
  std::ostringstream e;
  e << "time,strategy,equity,cash\n";
  for (const auto& p : r.equity) {
    e << iso_time_ns(p.time_ns) << "," << r.stats[p.strategy].name << "," << p.equity.to_string() << ","
      << p.cash.to_string() << "\n";
  }
  std::ostringstream s;
  s << "strategy,fills,taker_fills,maker_fills,orders,denied,skips,windows_traded,wins,losses,unsettled,win_rate,"
       "net_pnl,fees,final_equity,max_drawdown,max_drawdown_pct,sharpe,exposure\n";
  for (const auto& st : r.stats) {
    s << st.name << "," << st.fills << "," << st.taker_fills << "," << st.maker_fills << "," << st.orders << ","
      << st.denied << "," << st.skips << "," << st.windows_traded << "," << st.wins << "," << st.losses << ","
      << st.unsettled << "," << num(st.win_rate, 4) << "," << st.net_pnl.to_string() << "," << st.fees.to_string()
      << "," << st.final_equity.to_string() << "," << st.max_drawdown.to_string() << ","
      << num(st.max_drawdown_pct, 4) << "," << num(st.sharpe, 4) << "," << num(st.exposure, 4) << "\n";
  }
  const std::string summary = summary_text(r, info);
  struct F {
    const char* name;
    std::string text;
  };
  const F files[] = {{"windows.csv", w.str()},   {"trades.csv", t.str()},         {"decisions.csv", d.str()},
                     {"equity.csv", e.str()},    {"strategies.csv", s.str()},     {"summary.txt", summary},
                     {"equity.svg", svg_plot(r)}};
  for (const auto& f : files) {
    if (!write_file(dir / f.name, f.text)) return Err{"--out " + out_dir + ": cannot write " + f.name};
  }
  return summary;
}

}  // namespace polybot::sim::backtest
