#include "oms/order/amounts.hpp"

#include <limits>

namespace polybot::oms {
namespace {

constexpr std::int64_t kPow10[7] = {1, 10, 100, 1000, 10000, 100000, 1000000};
constexpr i128 kMaxAmount = std::numeric_limits<std::int64_t>::max();

Result<OrderAmounts, AmountError> fail(AmountErrc c, std::int64_t value, std::int64_t limit) noexcept {
  return Err{AmountError{c, value, limit}};
}

// Shared price checks: [tick, 1 - tick] and on the tick grid.
bool check_price(Price price, const TickRounding& r, AmountError& err) noexcept {
  if (price.raw < r.tick.raw || price.raw > Price::kScale - r.tick.raw) {
    err = AmountError{AmountErrc::kPriceOutOfRange, price.raw, r.tick.raw};
    return false;
  }
  if (price.raw % r.tick.raw != 0) {
    err = AmountError{AmountErrc::kPriceOffTick, price.raw, r.tick.raw};
    return false;
  }
  return true;
}

}  // namespace

TickRounding tick_rounding(TickSize t) noexcept {
  switch (t) {
    case TickSize::k0_1: return {Price::from_raw(100000), 1, 2, 3};
    case TickSize::k0_01: return {Price::from_raw(10000), 2, 2, 4};
    case TickSize::k0_005: return {Price::from_raw(5000), 3, 2, 5};
    case TickSize::k0_0025: return {Price::from_raw(2500), 4, 2, 6};
    case TickSize::k0_001: return {Price::from_raw(1000), 3, 2, 5};
    case TickSize::k0_0001: return {Price::from_raw(100), 4, 2, 6};
  }
  return {Price::from_raw(10000), 2, 2, 4};
}

bool parse_tick_size(std::string_view text, TickSize& out) noexcept {
  static constexpr TickSize kAll[] = {TickSize::k0_1,    TickSize::k0_01,  TickSize::k0_005,
                                      TickSize::k0_0025, TickSize::k0_001, TickSize::k0_0001};
  for (TickSize t : kAll) {
    if (text == to_string(t)) {
      out = t;
      return true;
    }
  }
  return false;
}

const char* to_string(TickSize t) noexcept {
  switch (t) {
    case TickSize::k0_1: return "0.1";
    case TickSize::k0_01: return "0.01";
    case TickSize::k0_005: return "0.005";
    case TickSize::k0_0025: return "0.0025";
    case TickSize::k0_001: return "0.001";
    case TickSize::k0_0001: return "0.0001";
  }
  return "?";
}

std::string AmountError::message() const {
  const std::string v = format_decimal(value, 6);
  const std::string l = format_decimal(limit, 6);
  switch (code) {
    case AmountErrc::kPriceOutOfRange:
      return "price " + v + " is outside [" + l + ", " + format_decimal(Price::kScale - limit, 6) +
             "] for tick size " + l;
    case AmountErrc::kPriceOffTick: return "price " + v + " is not a multiple of the tick size " + l;
    case AmountErrc::kSizeTooSmall: return "size " + v + " is below the minimum order size " + l;
    case AmountErrc::kAmountTooSmall: return "amount " + v + " rounds down to zero at 2 decimals";
    case AmountErrc::kNotionalTooSmall:
      return "marketable BUY notional $" + v + " is below the minimum $" + l;
    case AmountErrc::kOverflow: return "amount " + v + " is too large";
  }
  return "invalid amount " + v;
}

Result<OrderAmounts, AmountError> limit_order_amounts(Side side, Price price, Qty size, TickSize tick,
                                                      bool marketable, const AmountLimits& limits) noexcept {
  const TickRounding r = tick_rounding(tick);
  AmountError err{};
  if (!check_price(price, r, err)) return Err{err};
  if (size.raw <= 0) return fail(AmountErrc::kSizeTooSmall, size.raw, limits.min_size.raw);
  // size rounded DOWN to 2 decimals, as the client's roundDown(size, 2).
  const std::int64_t unit = kPow10[6 - r.size_decimals];
  const std::int64_t shares = size.raw / unit * unit;
  if (shares == 0 || (!marketable && shares < limits.min_size.raw)) {
    return fail(AmountErrc::kSizeTooSmall, shares, limits.min_size.raw);
  }
  // Exact: shares has 2 decimals, price has price_decimals, their product has amount_decimals <= 6.
  const i128 usdc = static_cast<i128>(shares) * price.raw / Price::kScale;
  if (usdc > kMaxAmount) return fail(AmountErrc::kOverflow, shares, 0);
  const auto notional = static_cast<std::int64_t>(usdc);
  if (marketable && side == Side::kBuy && notional < limits.min_marketable_buy.raw) {
    return fail(AmountErrc::kNotionalTooSmall, notional, limits.min_marketable_buy.raw);
  }
  if (side == Side::kBuy) return OrderAmounts{static_cast<std::uint64_t>(notional), static_cast<std::uint64_t>(shares)};
  return OrderAmounts{static_cast<std::uint64_t>(shares), static_cast<std::uint64_t>(notional)};
}

Result<OrderAmounts, AmountError> market_order_amounts(Side side, Price price, std::int64_t amount_raw, TickSize tick,
                                                       const AmountLimits& limits, MarketRounding rounding) noexcept {
  const TickRounding r = tick_rounding(tick);
  AmountError err{};
  if (!check_price(price, r, err)) return Err{err};
  const std::int64_t unit = kPow10[6 - r.size_decimals];
  const std::int64_t maker = amount_raw > 0 ? amount_raw / unit * unit : 0;
  if (maker <= 0) return fail(AmountErrc::kAmountTooSmall, amount_raw, unit);
  const int d = r.amount_decimals;
  std::int64_t taker = 0;
  if (side == Side::kBuy) {
    if (maker < limits.min_marketable_buy.raw) {
      return fail(AmountErrc::kNotionalTooSmall, maker, limits.min_marketable_buy.raw);
    }
    // shares = maker / price. The client rounds UP at d+4 decimals (absorbing float noise), then DOWN at d:
    // y = ceil(maker * 10^(d+4) / price) in 10^-(d+4) shares; result = floor(y / 10^4) in 10^-d shares.
    const i128 num = static_cast<i128>(maker) * kPow10[d] * 10000;
    const i128 y = (num + price.raw - 1) / price.raw;
    const i128 shares_d = y / 10000;
    const i128 t = shares_d * kPow10[6 - d];
    if (t > kMaxAmount) return fail(AmountErrc::kOverflow, amount_raw, 0);
    taker = static_cast<std::int64_t>(t);
  } else {
    const i128 t = static_cast<i128>(maker) * price.raw / Price::kScale;  // exact at amount_decimals
    if (t > kMaxAmount) return fail(AmountErrc::kOverflow, amount_raw, 0);
    taker = static_cast<std::int64_t>(t);
  }
  if (rounding == MarketRounding::kServerLimits) taker = taker / 100 * 100;  // <= 4 decimals
  return OrderAmounts{static_cast<std::uint64_t>(maker), static_cast<std::uint64_t>(taker)};
}

}  // namespace polybot::oms
