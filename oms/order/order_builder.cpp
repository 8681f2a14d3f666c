#include "oms/order/order_builder.hpp"

namespace polybot::oms {

Result<OrderV2, AmountError> make_order(const OrderSpec& s, const Address& signer_eoa, const AmountLimits& limits,
                                        MarketRounding rounding) noexcept {
  const bool marketable = s.market || s.order_type == OrderType::kFok || s.order_type == OrderType::kFak;
  auto amounts = s.market ? market_order_amounts(s.side, s.price, s.amount_raw, s.tick, limits, rounding)
                          : limit_order_amounts(s.side, s.price, s.size, s.tick, marketable, limits);
  if (!amounts) return Err{amounts.error()};
  OrderV2 o;
  o.salt = s.salt;
  o.maker = s.has_funder ? s.funder : signer_eoa;
  o.signer = s.signature_type == SignatureType::kPoly1271 ? o.maker : signer_eoa;
  o.token_id = s.token_id;
  o.maker_amount = amounts->maker;
  o.taker_amount = amounts->taker;
  o.side = s.side;
  o.signature_type = s.signature_type;
  o.timestamp_ms = s.timestamp_ms;
  o.expiration_s = s.expiration_s;
  o.metadata = s.metadata;
  o.builder = s.builder;
  return o;
}

}  // namespace polybot::oms
