// From what a strategy means (token, side, price, size or amount, tick) to the V2 order struct to sign, with the
// official client's rules for maker/signer: maker = funder (or the EOA), signer = the EOA, except POLY_1271 where
// signer = maker. Validation happens here, before signing. Hot path: no allocation, any thread.
#pragma once

#include <cstdint>

#include "core/fixed_point.hpp"
#include "core/result.hpp"
#include "oms/order/amounts.hpp"
#include "oms/order/order.hpp"

namespace polybot::oms {

struct OrderSpec {
  TokenId token_id{};
  Side side = Side::kBuy;
  TickSize tick = TickSize::k0_01;
  Price price{};                   // limit price; for market orders the worst acceptable price
  bool market = false;             // market order: `amount` is pUSD (BUY) or shares (SELL)
  Qty size{};                      // limit orders: shares
  std::int64_t amount_raw = 0;     // market orders: 1e-6 units
  OrderType order_type = OrderType::kGtc;  // FOK/FAK limit orders count as marketable
  SignatureType signature_type = SignatureType::kEoa;
  bool has_funder = false;
  Address funder{};
  std::uint64_t salt = 0;          // < 2^53
  std::uint64_t timestamp_ms = 0;
  std::uint64_t expiration_s = 0;  // GTD only; "0" otherwise
  Bytes32 metadata{};
  Bytes32 builder{};
};

Result<OrderV2, AmountError> make_order(const OrderSpec& spec, const Address& signer_eoa, const AmountLimits& limits,
                                        MarketRounding rounding = MarketRounding::kOfficialClient) noexcept;

}  // namespace polybot::oms
