#include "oms/gateway/rate_limiter.hpp"

#include <algorithm>

namespace polybot::oms {
namespace {
constexpr std::int64_t k10s = 10'000'000'000;
constexpr std::int64_t k10min = 600'000'000'000;
constexpr std::int64_t k1s = 1'000'000'000;
constexpr std::size_t idx(Endpoint e) noexcept { return static_cast<std::size_t>(e); }
}  // namespace

const char* to_string(Endpoint e) noexcept {
  switch (e) {
    case Endpoint::kPostOrder: return "POST /order";
    case Endpoint::kPostOrders: return "POST /orders";
    case Endpoint::kDeleteOrder: return "DELETE /order";
    case Endpoint::kDeleteOrders: return "DELETE /orders";
    case Endpoint::kCancelAll: return "DELETE /cancel-all";
    case Endpoint::kCancelMarket: return "DELETE /cancel-market-orders";
    case Endpoint::kDataOrders: return "GET /data/orders";
    case Endpoint::kDataTrades: return "GET /data/trades";
    case Endpoint::kBalance: return "GET /balance-allowance";
    case Endpoint::kBalanceUpdate: return "GET /balance-allowance/update";
    case Endpoint::kApiKey: return "api-key";
    case Endpoint::kHeartbeat: return "POST /v1/heartbeats";
    case Endpoint::kTime: return "GET /time";
    case Endpoint::kCount: break;
  }
  return "?";
}

RateLimitConfig RateLimitConfig::polymarket_defaults(double fraction) noexcept {
  RateLimitConfig c;
  auto set = [&](Endpoint e, std::int64_t s10, std::int64_t m10) {
    c.endpoint[idx(e)].per_10s = std::max<std::int64_t>(1, static_cast<std::int64_t>(static_cast<double>(s10) * fraction));
    c.endpoint[idx(e)].per_10min =
        m10 == 0 ? 0 : std::max<std::int64_t>(1, static_cast<std::int64_t>(static_cast<double>(m10) * fraction));
  };
  set(Endpoint::kPostOrder, 3500, 36000);
  set(Endpoint::kPostOrders, 1000, 15000);
  set(Endpoint::kDeleteOrder, 3000, 30000);
  set(Endpoint::kDeleteOrders, 1000, 15000);
  set(Endpoint::kCancelAll, 250, 6000);
  set(Endpoint::kCancelMarket, 1000, 1500);
  set(Endpoint::kDataOrders, 500, 0);
  set(Endpoint::kDataTrades, 500, 0);
  set(Endpoint::kBalance, 200, 0);
  set(Endpoint::kBalanceUpdate, 50, 0);
  set(Endpoint::kApiKey, 100, 0);
  set(Endpoint::kHeartbeat, 9000, 0);  // CLOB general
  set(Endpoint::kTime, 9000, 0);
  return c;
}

RateLimiter::RateLimiter(const RateLimitConfig& cfg) noexcept : cfg_(cfg) {
  for (std::size_t i = 0; i < idx(Endpoint::kCount); ++i) {
    const auto& w = cfg.endpoint[i];
    has_short_[i] = w.per_10s > 0;
    has_long_[i] = w.per_10min > 0;
    if (has_short_[i]) short_[i] = TokenBucket(w.per_10s, w.per_10s, k10s);
    if (has_long_[i]) long_[i] = TokenBucket(w.per_10min, w.per_10min, k10min);
  }
  signer_orders_ = TokenBucket(cfg.order_burst, cfg.order_rate_per_s, k1s);
  signer_cancels_ = TokenBucket(cfg.cancel_burst, cfg.cancel_rate_per_s, k1s);
}

bool RateLimiter::is_order_class(Endpoint e) noexcept {
  return e == Endpoint::kPostOrder || e == Endpoint::kPostOrders;
}
bool RateLimiter::is_cancel_class(Endpoint e) noexcept {
  return e == Endpoint::kDeleteOrder || e == Endpoint::kDeleteOrders || e == Endpoint::kCancelAll ||
         e == Endpoint::kCancelMarket;
}

Admit RateLimiter::try_admit(Endpoint e, std::int64_t cost, std::int64_t now_ns) noexcept {
  const std::size_t i = idx(e);
  if (now_ns < blocked_until_[i]) return Admit::kBackingOff;
  // Cloudflare counts requests; the per-signer layer counts orders/ids.
  TokenBucket* signer = is_order_class(e) ? &signer_orders_ : is_cancel_class(e) ? &signer_cancels_ : nullptr;
  if (signer != nullptr && !signer->can_ever_take(cost)) return Admit::kNeverFits;
  const bool short_ok = !has_short_[i] || short_[i].tokens(now_ns) >= 1;
  const bool long_ok = !has_long_[i] || long_[i].tokens(now_ns) >= 1;
  const bool signer_ok = signer == nullptr || signer->tokens(now_ns) >= cost;
  if (!short_ok || !long_ok || !signer_ok) return Admit::kBucketEmpty;
  if (has_short_[i]) (void)short_[i].try_take(1, now_ns);
  if (has_long_[i]) (void)long_[i].try_take(1, now_ns);
  if (signer != nullptr) (void)signer->try_take(cost, now_ns);
  return Admit::kYes;
}

void RateLimiter::on_rate_limited(Endpoint e, std::int64_t retry_after_ns, std::int64_t now_ns) noexcept {
  ++back_pressure_count_;
  const std::size_t i = idx(e);
  const std::int64_t wait = retry_after_ns > 0 ? retry_after_ns : cfg_.rate_limited_default_ns;
  blocked_until_[i] = std::max(blocked_until_[i], now_ns + wait);
  if (has_short_[i]) short_[i].drain(now_ns);
  if (is_order_class(e)) signer_orders_.drain(now_ns);
  if (is_cancel_class(e)) signer_cancels_.drain(now_ns);
}

void RateLimiter::on_too_early(std::int64_t now_ns) noexcept {
  ++back_pressure_count_;
  too_early_backoff_ns_ = too_early_backoff_ns_ == 0 ? cfg_.too_early_initial_ns
                                                     : std::min(too_early_backoff_ns_ * 2, cfg_.too_early_max_ns);
  // The matching engine is down: every order endpoint waits (cancels too; the venue answers 425 to them).
  for (Endpoint e : {Endpoint::kPostOrder, Endpoint::kPostOrders, Endpoint::kDeleteOrder, Endpoint::kDeleteOrders,
                     Endpoint::kCancelAll, Endpoint::kCancelMarket}) {
    blocked_until_[idx(e)] = std::max(blocked_until_[idx(e)], now_ns + too_early_backoff_ns_);
  }
}

void RateLimiter::on_success(Endpoint e) noexcept {
  if (is_order_class(e) || is_cancel_class(e)) too_early_backoff_ns_ = 0;
}

}  // namespace polybot::oms
