#include "signal/strategies/market_making.hpp"

#include <cmath>

#include "signal/price_rounding.hpp"

namespace polybot::signal {

MarketMaking::MarketMaking(const MarketMakingParams& p) noexcept
    : p_(p), market_(p.interval_s), model_(p.model), pos_(p.id) {}

void MarketMaking::pull(ReasonCode r, double left_s, IntentSink& sink) noexcept {
  if (!quoted_) return;
  Intent in = make_intent(p_.id, quoted_market_, market_.window_end_s(), r, IntentAction::kCancelAll);
  in.inputs[kFairUp] = quoted_fair_;
  in.inputs[kInventory] = static_cast<double>(pos_.delta_raw()) / static_cast<double>(Qty::kScale);
  in.inputs[kSecondsLeft] = left_s;
  sink.emit(in);
  quoted_ = false;
}

void MarketMaking::on_message(const Envelope& msg, const Clock& clock, IntentSink& sink) noexcept {
  const std::int64_t now = clock.now_ns();
  market_.on_message(msg, now);
  const MarketState::Window w = market_.window_at(now);
  model_.on_message(msg, w.start_s, w.end_s);
  pos_.on_message(msg, market_);
  const std::int64_t left_ns = w.end_s * 1'000'000'000 - now;
  const double left_s = static_cast<double>(left_ns) * 1e-9;
  if (quoted_ && quoted_market_ != w.market) pull(kPullTMinus, left_s, sink);  // the window rolled under us
  if (!market_.have_book() || market_.market() != w.market || !w.market.valid()) return;
  if (left_ns <= std::int64_t{p_.pull_before_end_s} * 1'000'000'000) {
    pull(kPullTMinus, left_s, sink);
    return;
  }
  if (!market_.both_usable()) {
    pull(kPullInvalidBook, left_s, sink);
    return;
  }
  const TokenTop& up = market_.top().up;
  const TokenTop& down = market_.top().down;
  const bool have_mid = up.bid.raw > 0 && up.ask.raw > 0;
  const double mid = have_mid ? 0.5 * (up.bid.to_double() + up.ask.to_double()) : 0.0;
  double fair = std::nan("");
  double sigma = 0.0;
  if (p_.fair_source != FairSource::kMid) {
    const FairValue fv = model_.evaluate(now);
    if (fv.valid()) {
      fair = fv.p_up;
      sigma = fv.sigma;
    }
  }
  if (std::isnan(fair) && p_.fair_source != FairSource::kModel && have_mid) fair = mid;
  if (std::isnan(fair)) {
    pull(kPullNoFairValue, left_s, sink);
    return;
  }
  if (p_.max_sigma > 0.0 && sigma > p_.max_sigma) {
    pull(kPullVolatility, left_s, sink);
    return;
  }
  const std::int64_t delta = pos_.delta_raw();
  if (quoted_ && std::fabs(fair - quoted_fair_) <= p_.requote_threshold && delta == quoted_delta_) return;
  const double inventory = static_cast<double>(delta) / static_cast<double>(Qty::kScale);
  const double skew = p_.skew_per_share * inventory;
  Price up_px = price_on_tick(fair - p_.half_spread - skew, up.tick, Side::kBuy);
  Price down_px = price_on_tick((1.0 - fair) - p_.half_spread + skew, down.tick, Side::kBuy);
  // Post-only must not cross: stay at least one tick under the best ask.
  if (up.ask.raw > 0 && up_px >= up.ask) up_px = add_ticks(up.ask, up.tick, -1);
  if (down.ask.raw > 0 && down_px >= down.ask) down_px = add_ticks(down.ask, down.tick, -1);
  const bool bid_up = up_px >= p_.min_price && up_px <= p_.max_price && delta < p_.max_inventory.raw;
  const bool bid_down = down_px >= p_.min_price && down_px <= p_.max_price && -delta < p_.max_inventory.raw;
  double in[8]{};
  in[kFairUp] = fair;
  in[kQuoteUpPrice] = up_px.to_double();
  in[kQuoteDownPrice] = down_px.to_double();
  in[kSkew] = skew;
  in[kInventory] = inventory;
  in[kSigma] = sigma;
  in[kSecondsLeft] = left_s;
  in[kMid] = mid;
  if (quoted_) {
    Intent c = make_intent(p_.id, quoted_market_, market_.window_end_s(), kRequote, IntentAction::kCancelAll);
    for (int k = 0; k < 8; ++k) c.inputs[k] = in[k];
    sink.emit(c);
    quoted_ = false;
  }
  for (int leg = 0; leg < 2; ++leg) {
    const bool on = leg == 0 ? bid_up : bid_down;
    if (!on) continue;
    const Outcome o = leg == 0 ? Outcome::kUp : Outcome::kDown;
    Intent q = make_intent(p_.id, market_.market(), market_.window_end_s(), leg == 0 ? kQuoteUp : kQuoteDown,
                           IntentAction::kPlace);
    q.hdr.instrument = market_.token(o).token;
    q.outcome = o;
    q.side = Side::kBuy;
    q.order_type = OrderType::kGtc;
    q.post_only = 1;
    q.limit_price = leg == 0 ? up_px : down_px;
    q.size = p_.quote_size;
    for (int k = 0; k < 8; ++k) q.inputs[k] = in[k];
    sink.emit(q);
    quoted_ = true;
  }
  quoted_market_ = market_.market();
  quoted_fair_ = fair;
  quoted_delta_ = delta;
}

}  // namespace polybot::signal
