#include "sim/backtest/monte_carlo.hpp"

#include <algorithm>
#include <cstdio>

#include "sim/backtest/fee_model.hpp"

namespace polybot::sim::backtest {

namespace {

// splitmix64: tiny, fully specified, identical on every platform.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() noexcept {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() noexcept { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
};

double quantile(std::vector<double>& v, double q) {
  if (v.empty()) return 0.0;
  const std::size_t i = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return v[i];
}

}  // namespace

std::vector<MonteCarloRow> run_monte_carlo(const MonteCarloParams& p) {
  std::vector<MonteCarloRow> rows;
  const Usdc floor = Usdc::from_raw(static_cast<std::int64_t>(static_cast<double>(p.capital.raw) * (1.0 - p.halt_drawdown)));
  for (std::size_t k = 0; k < p.win_rates.size(); ++k) {
    const double wr = p.win_rates[k];
    // One stream per win rate, so adding a rate does not change the others' results.
    Rng rng{p.seed ^ (0xA24BAED4963EE407ULL * (k + 1))};
    MonteCarloRow row;
    row.win_rate = wr;
    row.runs = p.runs;
    std::vector<double> dds, finals;
    dds.reserve(p.runs);
    finals.reserve(p.runs);
    std::uint64_t ruined = 0, halted = 0, bets = 0;
    double final_sum = 0.0;
    for (std::uint64_t r = 0; r < p.runs; ++r) {
      Usdc equity = p.capital, peak = p.capital;
      std::int32_t streak = 0;
      double max_dd = 0.0;
      bool ruin = false, halt = false;
      for (std::int32_t w = 0; w < p.windows; ++w) {
        if (equity <= floor) {
          ruin = halt = true;
          break;
        }
        const Usdc stake = win_streak_stake(p.sizing, streak, equity);
        if (stake < p.min_order) {
          halt = true;
          break;
        }
        const Qty shares = shares_for_stake(stake, p.entry_price);
        const Usdc cost = notional(p.entry_price, shares) + trade_fee(p.fee, Liquidity::kTaker, p.entry_price, shares);
        ++bets;
        if (rng.uniform() < wr) {
          equity += Usdc::from_raw(shares.raw) - cost;
          ++streak;
        } else {
          equity -= cost;
          streak = 0;
        }
        peak = std::max(peak, equity);
        max_dd = std::max(max_dd, (peak - equity).to_double() / peak.to_double());
      }
      if (!ruin && equity <= floor) ruin = halt = true;
      ruined += ruin ? 1 : 0;
      halted += halt ? 1 : 0;
      dds.push_back(max_dd);
      finals.push_back(equity.to_double());
      final_sum += equity.to_double();
    }
    const double n = static_cast<double>(std::max<std::uint64_t>(1, p.runs));
    row.ruin_probability = static_cast<double>(ruined) / n;
    row.halt_probability = static_cast<double>(halted) / n;
    row.mean_bets = static_cast<double>(bets) / n;
    row.final_mean = final_sum / n;
    row.dd_p50 = quantile(dds, 0.50);
    row.dd_p90 = quantile(dds, 0.90);
    row.dd_p95 = quantile(dds, 0.95);
    row.dd_p99 = quantile(dds, 0.99);
    row.dd_max = dds.empty() ? 0.0 : *std::max_element(dds.begin(), dds.end());
    row.final_p05 = quantile(finals, 0.05);
    row.final_p50 = quantile(finals, 0.50);
    row.final_p95 = quantile(finals, 0.95);
    rows.push_back(row);
  }
  return rows;
}

std::string monte_carlo_csv(const MonteCarloParams& p, const std::vector<MonteCarloRow>& rows) {
  std::string out =
      "win_rate,runs,windows,entry_price,ruin_probability,halt_probability,dd_p50,dd_p90,dd_p95,dd_p99,dd_max,"
      "final_mean,final_p05,final_p50,final_p95,mean_bets\n";
  char buf[512];
  for (const auto& r : rows) {
    std::snprintf(buf, sizeof buf, "%.4f,%llu,%d,%s,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.4f,%.4f,%.4f,%.4f,%.4f\n",
                  r.win_rate, static_cast<unsigned long long>(r.runs), p.windows, p.entry_price.to_string().c_str(),
                  r.ruin_probability, r.halt_probability, r.dd_p50, r.dd_p90, r.dd_p95, r.dd_p99, r.dd_max,
                  r.final_mean, r.final_p05, r.final_p50, r.final_p95, r.mean_bets);
    out += buf;
  }
  return out;
}

}  // namespace polybot::sim::backtest
