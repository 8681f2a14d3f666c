#include "oms/order/order.hpp"

#include <algorithm>

#include "oms/crypto/eip712.hpp"

namespace polybot::oms {

const char* to_string(Side s) noexcept { return s == Side::kBuy ? "BUY" : "SELL"; }

const char* to_string(OrderType t) noexcept {
  switch (t) {
    case OrderType::kGtc: return "GTC";
    case OrderType::kGtd: return "GTD";
    case OrderType::kFok: return "FOK";
    case OrderType::kFak: return "FAK";
  }
  return "GTC";
}

bool TokenId::parse(std::string_view text, TokenId& out) noexcept {
  if (text.empty() || text.size() > out.decimal.size()) return false;
  if (text.size() > 1 && text[0] == '0') return false;
  TokenId t;
  if (!parse_u256_decimal(text, t.value)) return false;
  std::copy(text.begin(), text.end(), t.decimal.begin());
  t.decimal_len = static_cast<std::uint8_t>(text.size());
  out = t;
  return true;
}

namespace {
const Hash256& order_v2_typehash() noexcept {
  static const Hash256 h = keccak256(kOrderV2Type);
  return h;
}
const Hash256& order_v1_typehash() noexcept {
  static const Hash256 h = keccak256(kOrderV1Type);
  return h;
}
}  // namespace

Hash256 order_struct_hash(const OrderV2& o) noexcept {
  Eip712Encoder e;
  e.word(order_v2_typehash());
  e.uint(o.salt);
  e.address(o.maker);
  e.address(o.signer);
  e.word(o.token_id.value);
  e.uint(o.maker_amount);
  e.uint(o.taker_amount);
  e.uint(static_cast<std::uint8_t>(o.side));
  e.uint(static_cast<std::uint8_t>(o.signature_type));
  e.uint(o.timestamp_ms);
  e.word(o.metadata);
  e.word(o.builder);
  return e.finish();
}

Hash256 order_v1_struct_hash(const OrderV1& o) noexcept {
  Eip712Encoder e;
  e.word(order_v1_typehash());
  e.uint(o.salt);
  e.address(o.maker);
  e.address(o.signer);
  e.address(o.taker);
  e.word(o.token_id.value);
  e.uint(o.maker_amount);
  e.uint(o.taker_amount);
  e.uint(o.expiration_s);
  e.uint(o.nonce);
  e.uint(o.fee_rate_bps);
  e.uint(static_cast<std::uint8_t>(o.side));
  e.uint(static_cast<std::uint8_t>(o.signature_type));
  return e.finish();
}

}  // namespace polybot::oms
