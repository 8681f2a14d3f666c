// FairValueModel: P(Up) of a BTC Up/Down window from the live BTC price, the window's strike (price to beat),
// the time left and realised volatility, modelling the settlement rule of protocol notes §13.3: with a TWAP
// settlement of L seconds (60 since 2026-08-14) the final price is the average of the reference over the last L
// seconds, so the last L seconds are progressively locked in; with L = 0 it is the point price at the end.
// Prices follow a driftless Brownian motion with sigma = realised vol (per sqrt second) x price:
//   tau > L : final ~ N(S, sigma^2 (tau - L + L/3))
//   tau <= L: final ~ N(((L - tau) A + tau S) / L, (tau/L)^2 sigma^2 tau / 3), A = TWAP of the elapsed part
//   P(Up) = P(final >= strike) (ties resolve Up).
// S is the live price (Binance mid, leading) plus an optional smoothed basis to the reference (Chainlink); the
// strike and the TWAP come from the reference stream (RefPrice). Signal thread only; O(1) per message except one
// O(ring) scan per window for a TWAP strike; no allocation.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/messages.hpp"
#include "signal/indicator/realized_volatility.hpp"

namespace polybot::signal {

enum class StrikeRule : std::uint8_t {
  kLastAtOrBefore = 0,   // the last reference report at or before the window start (point-price era)
  kFirstAtOrAfter = 1,   // the first report at or after the start
  kTwap = 2,             // the average of the reports in (start - L, start] (TWAP era)
};

struct FairValueModelParams {
  int vol_samples = 300;               // realised-vol window, in samples
  std::int64_t vol_interval_ms = 1000; // sampling grid
  int min_vol_samples = 30;            // not ready before
  double min_sigma = 1e-5;             // floor on per-sqrt-second log vol (never trust a flat minute)
  double settlement_twap_s = 60.0;     // L; 0 = point price at the end
  StrikeRule strike_rule = StrikeRule::kTwap;
  double basis_halflife_s = 0.0;       // 0: no basis correction between the live price and the reference
};

struct FairValue {
  double p_up = std::numeric_limits<double>::quiet_NaN();
  double price = 0.0;    // S (basis-adjusted)
  double strike = 0.0;
  double tau_s = 0.0;    // seconds to the end
  double sigma = 0.0;    // per sqrt second, log
  double mean = 0.0, sd = 0.0;
  double dp_ds = 0.0;    // dP/dS, per USD: what a price move during the taker delay is worth
  [[nodiscard]] bool valid() const noexcept { return !std::isnan(p_up); }
};

class FairValueModel {
 public:
  explicit FairValueModel(const FairValueModelParams& p = {}) noexcept
      : p_(p), vol_(p.vol_samples, p.vol_interval_ms * 1'000'000) {}

  // Every message; `window_start_s`/`window_end_s` the current window (the model resets strike and TWAP when
  // it changes).
  void on_message(const Envelope& msg, std::int64_t window_start_s, std::int64_t window_end_s) noexcept {
    roll(window_start_s, window_end_s);
    if (msg.is<BtcTick>()) {
      const BtcTick& t = msg.as<BtcTick>();
      if (t.bid.raw <= 0 || t.ask.raw <= 0) return;
      const double mid = 0.5 * (t.bid.to_double() + t.ask.to_double());
      on_live(time_ns(msg.hdr), mid);
    } else if (msg.is<Kline>()) {
      const Kline& k = msg.as<Kline>();
      if (have_tick_ || k.close.raw <= 0) return;  // klines only stand in when there is no tick stream
      on_live(k.close_time_ms * 1'000'000, k.close.to_double());
    } else if (msg.is<RefPrice>()) {
      const RefPrice& r = msg.as<RefPrice>();
      // Only the settlement source sets the strike and the TWAP; CoinGecko prints are a sanity check.
      if (r.venue == Venue::kChainlink && r.value.raw > 0) on_ref(r.feed_ts_ms, r.value.to_double());
    }
    if (msg.is<BtcTick>()) have_tick_ = true;
  }

  // Fair value at now_ns for the current window (NaN p_up when the strike, the price or the vol is missing).
  [[nodiscard]] FairValue evaluate(std::int64_t now_ns) const noexcept {
    FairValue f;
    if (!have_strike_ || !have_live_ || !vol_.ready(p_.min_vol_samples)) return f;
    double sigma = vol_.sigma_per_sqrt_second();
    if (sigma < p_.min_sigma) sigma = p_.min_sigma;
    const double s = live_ + basis_;
    const double tau = std::max(0.0, static_cast<double>(window_end_s_) - static_cast<double>(now_ns) * 1e-9);
    const double L = p_.settlement_twap_s;
    const double sig_p = sigma * s;
    double mean = s, var = 0.0, weight = 1.0;
    if (L <= 0.0) {
      var = sig_p * sig_p * tau;
    } else if (tau > L) {
      var = sig_p * sig_p * (tau - L + L / 3.0);
    } else {
      const double a = twap_n_ > 0 ? twap_sum_ / static_cast<double>(twap_n_) : s;
      weight = tau / L;
      mean = (1.0 - weight) * a + weight * s;
      var = weight * weight * sig_p * sig_p * tau / 3.0;
    }
    f.price = s;
    f.strike = strike_;
    f.tau_s = tau;
    f.sigma = sigma;
    f.mean = mean;
    if (var <= 0.0) {
      f.sd = 0.0;
      f.p_up = mean >= strike_ ? 1.0 : 0.0;
      return f;
    }
    const double sd = std::sqrt(var);
    const double z = (mean - strike_) / sd;
    f.sd = sd;
    f.p_up = 0.5 * std::erfc(-z / std::sqrt(2.0));
    f.dp_ds = weight * std::exp(-0.5 * z * z) / (sd * std::sqrt(2.0 * 3.14159265358979323846));
    return f;
  }

  [[nodiscard]] bool have_strike() const noexcept { return have_strike_; }
  [[nodiscard]] double strike() const noexcept { return strike_; }
  [[nodiscard]] double live_price() const noexcept { return live_; }
  [[nodiscard]] const RealizedVolatility& vol() const noexcept { return vol_; }

 private:
  static std::int64_t time_ns(const MsgHeader& h) noexcept { return h.ts_exch != 0 ? h.ts_exch : h.ts_recv; }

  void roll(std::int64_t start_s, std::int64_t end_s) noexcept {
    if (end_s == window_end_s_) return;
    window_start_s_ = start_s;
    window_end_s_ = end_s;
    have_strike_ = false;
    twap_sum_ = 0.0;
    twap_n_ = 0;
    // The strike may already be decidable from reports seen before the roll.
    if (p_.strike_rule != StrikeRule::kFirstAtOrAfter && last_ref_ms_ >= start_s * 1000) settle_strike_from_ring();
  }

  void on_live(std::int64_t t_ns, double price) noexcept {
    live_ = price;
    have_live_ = true;
    vol_.sample(t_ns, price);
    if (p_.basis_halflife_s > 0.0 && have_ref_) {
      const double dt = last_live_ns_ > 0 ? static_cast<double>(t_ns - last_live_ns_) * 1e-9 : 0.0;
      const double a = 1.0 - std::exp2(-std::max(dt, 0.0) / p_.basis_halflife_s);
      basis_ += a * ((ref_ - price) - basis_);
    }
    last_live_ns_ = t_ns;
  }

  void on_ref(std::int64_t ts_ms, double v) noexcept {
    ring_[ring_head_] = RefPoint{ts_ms, v};
    ring_head_ = (ring_head_ + 1) % kRing;
    if (ring_size_ < kRing) ++ring_size_;
    ref_ = v;
    have_ref_ = true;
    if (!have_basis_init_) {
      have_basis_init_ = true;
      if (have_live_ && p_.basis_halflife_s > 0.0) basis_ = v - live_;
    }
    const std::int64_t start_ms = window_start_s_ * 1000, end_ms = window_end_s_ * 1000;
    if (!have_strike_ && window_end_s_ != 0) {
      if (p_.strike_rule == StrikeRule::kFirstAtOrAfter) {
        if (ts_ms >= start_ms) set_strike(v);
      } else if (ts_ms >= start_ms) {
        settle_strike_from_ring();
      }
    }
    const double L = p_.settlement_twap_s;
    if (L > 0.0 && window_end_s_ != 0 && ts_ms <= end_ms &&
        static_cast<double>(ts_ms) > static_cast<double>(end_ms) - L * 1000.0) {
      twap_sum_ += v;
      ++twap_n_;
    }
    last_ref_ms_ = ts_ms;
  }

  // Strike from the reports already in the ring (the rule's reports all lie at or before the start, except the
  // one that just crossed it).
  void settle_strike_from_ring() noexcept {
    const std::int64_t start_ms = window_start_s_ * 1000;
    double sum = 0.0, last = 0.0, at_start = 0.0;
    int n = 0;
    bool have_last = false, have_at_start = false;
    std::int64_t last_ts = INT64_MIN;
    for (std::size_t k = 0; k < ring_size_; ++k) {
      const RefPoint& r = ring_[(ring_head_ + kRing - 1 - k) % kRing];
      if (r.ts_ms == start_ms) { at_start = r.v; have_at_start = true; }
      if (r.ts_ms <= start_ms && r.ts_ms > last_ts) { last_ts = r.ts_ms; last = r.v; have_last = true; }
      if (p_.strike_rule == StrikeRule::kTwap && r.ts_ms <= start_ms &&
          static_cast<double>(r.ts_ms) > static_cast<double>(start_ms) - p_.settlement_twap_s * 1000.0) {
        sum += r.v;
        ++n;
      }
    }
    if (p_.strike_rule == StrikeRule::kTwap && n > 0) set_strike(sum / n);
    else if (have_at_start) set_strike(at_start);
    else if (have_last) set_strike(last);
  }
  void set_strike(double v) noexcept {
    strike_ = v;
    have_strike_ = true;
  }

  struct RefPoint {
    std::int64_t ts_ms = 0;
    double v = 0.0;
  };
  static constexpr std::size_t kRing = 256;

  FairValueModelParams p_;
  RealizedVolatility vol_;
  std::int64_t window_start_s_ = 0, window_end_s_ = 0;
  bool have_live_ = false, have_tick_ = false, have_ref_ = false, have_strike_ = false, have_basis_init_ = false;
  double live_ = 0.0, ref_ = 0.0, basis_ = 0.0, strike_ = 0.0;
  std::int64_t last_live_ns_ = 0, last_ref_ms_ = INT64_MIN;
  double twap_sum_ = 0.0;
  int twap_n_ = 0;
  std::array<RefPoint, kRing> ring_{};
  std::size_t ring_head_ = 0, ring_size_ = 0;
};

}  // namespace polybot::signal
