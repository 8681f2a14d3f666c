#include "oms/reconcile/balance_book.hpp"

#include <cstring>

#include "core/int128.hpp"

namespace polybot::oms {

BalanceBook::Token* BalanceBook::token_of(InstrumentId id, std::string_view text, bool create) noexcept {
  for (std::size_t i = 0; i < tokens_n_; ++i) {
    Token& t = tokens_[i];
    if (std::string_view(t.text.data(), t.len) == text) return &t;
  }
  if (!create || text.empty() || text.size() > kMaxTokenLen) return nullptr;
  if (tokens_n_ == kMaxTokens) {
    token_overflow_ = true;
    return nullptr;
  }
  Token& t = tokens_[tokens_n_++];
  t = Token{};
  t.id = id;
  std::memcpy(t.text.data(), text.data(), text.size());
  t.len = static_cast<std::uint8_t>(text.size());
  return &t;
}

void BalanceBook::on_fill(InstrumentId token, std::string_view token_text, ::polybot::Side side, Qty qty, Price price,
                          bool taker, std::uint64_t trade_key, bool in_doubt, std::int64_t now_ns) noexcept {
  ++epoch_;
  const bool buy = side == ::polybot::Side::kBuy;
  const std::int64_t cash = buy ? -notional(price, qty).raw : notional(price, qty).raw;
  const std::int64_t shares = buy ? qty.raw : -qty.raw;
  if (trade_key == 0) in_doubt = false;  // nothing would ever settle it
  cash_.add(cash, in_doubt);
  if (taker && qty.raw > 0 && cfg_.fee_rate_bps > 0) {
    // shares x p x (1 - p) x rate, rounded up, plus the venue's fee rounding.
    const i128 num = static_cast<i128>(qty.raw) * price.raw * (Price::kScale - price.raw) * cfg_.fee_rate_bps;
    const i128 den = static_cast<i128>(Price::kScale) * Price::kScale * 10'000;
    fees_ += static_cast<std::int64_t>((num + den - 1) / den) + kFeeRoundingPerFill;
  }
  Token* t = nullptr;
  if (cfg_.balance_check == BalanceCheck::kCollateralAndConditional) {
    t = token_of(token, token_text, true);
    if (t != nullptr) t->s.add(shares, in_doubt);
  }
  if (!in_doubt) return;
  if (pending_n_ == kMaxPending) drop_pending(0);  // the oldest is taken as settled
  Pending& p = pending_[pending_n_++];
  p.key = trade_key;
  p.cash = cash;
  p.shares = t != nullptr ? shares : 0;
  p.token = t != nullptr ? static_cast<std::int32_t>(t - tokens_.data()) : -1;
  p.token_id = token;
  p.at_ns = now_ns;
}

void BalanceBook::expire(std::int64_t now_ns) noexcept {
  const std::int64_t limit = now_ns - cfg_.in_doubt_max_ms * 1'000'000;
  for (std::size_t i = 0; i < pending_n_;) {
    if (pending_[i].at_ns < limit) {
      drop_pending(i);
      ++epoch_;
    } else {
      ++i;
    }
  }
}

void BalanceBook::drop_pending(std::size_t i) noexcept {
  const Pending& p = pending_[i];
  cash_.settle(p.cash > 0 ? p.cash : 0, p.cash < 0 ? -p.cash : 0);
  if (p.token >= 0 && static_cast<std::size_t>(p.token) < tokens_n_ && tokens_[p.token].id == p.token_id)
    tokens_[p.token].s.settle(p.shares > 0 ? p.shares : 0, p.shares < 0 ? -p.shares : 0);
  pending_[i] = pending_[--pending_n_];
  // Keep the oldest first for eviction: the swap moved the newest into i; good enough for a ring of doubts.
}

void BalanceBook::on_settled(std::uint64_t trade_key) noexcept {
  if (trade_key == 0) return;
  for (std::size_t i = 0; i < pending_n_;) {
    if (pending_[i].key == trade_key) {
      drop_pending(i);
      ++epoch_;
    } else {
      ++i;
    }
  }
}

BalanceBounds BalanceBook::collateral() const noexcept {
  const std::int64_t e = cash_.base + cash_.flow;
  return BalanceBounds{e - cash_.doubt_in, e + cash_.doubt_out, fees_, cfg_.balance_tolerance};
}

BalanceBounds BalanceBook::shares(std::size_t i) const noexcept {
  const Side2& s = tokens_[i].s;
  const std::int64_t e = s.base + s.flow;
  return BalanceBounds{e - s.doubt_in, e + s.doubt_out, 0, cfg_.balance_tolerance};
}

BalanceVerdict BalanceBook::judge(std::int64_t venue, const BalanceBounds& b) noexcept {
  if (venue < b.low - b.fees - b.tolerance) return BalanceVerdict::kMissing;
  if (venue > b.high + b.tolerance) return BalanceVerdict::kExtra;  // fees only ever take money away
  return BalanceVerdict::kMatches;
}

void BalanceBook::adopt_collateral(std::int64_t venue) noexcept {
  if (pending_n_ > 0) return;  // a read that may or may not include a trade in doubt is no baseline
  has_baseline_ = true;
  cash_ = Side2{};
  cash_.base = venue;
  fees_ = 0;
  ++epoch_;
}

void BalanceBook::adopt_shares(std::size_t i, std::int64_t venue) noexcept {
  if (i >= tokens_n_ || pending_n_ > 0) return;
  tokens_[i].s = Side2{};
  tokens_[i].s.base = venue;
}

void BalanceBook::compact() noexcept {
  if (pending_n_ > 0) return;
  std::size_t w = 0;
  for (std::size_t i = 0; i < tokens_n_; ++i) {
    const Side2& s = tokens_[i].s;
    if (s.base == 0 && s.flow == 0) continue;
    if (w != i) tokens_[w] = tokens_[i];
    ++w;
  }
  tokens_n_ = w;
  token_overflow_ = false;
}

void BalanceBook::reset() noexcept {
  has_baseline_ = false;  // flows and doubts stay consistent; adoption (nothing in doubt) restarts them
  ++epoch_;
}

}  // namespace polybot::oms
