// The POST /order JSON body, byte for byte as clob-client-v2 emits it (JSON.stringify of orderToJsonV2): key
// order deferExec, postOnly, order{salt, maker, signer, tokenId, makerAmount, takerAmount, side, signatureType,
// timestamp, expiration, metadata, builder, signature}, owner, orderType; salt and signatureType are numbers,
// everything else in `order` a string; no whitespace. Hot path: writes into a caller buffer, no allocation, any
// thread. Serialise once, HMAC that buffer, send that buffer.
#pragma once

#include <cstddef>
#include <string_view>

#include "oms/order/order.hpp"

namespace polybot::oms {

struct OrderBodyOptions {
  std::string_view owner;  // the API key (UUID), NOT an address
  OrderType order_type = OrderType::kGtc;
  bool post_only = false;
  bool defer_exec = false;
};

// Worst case for a POLY_1271 signature and a 128-char owner; 65-byte signatures need about 800.
inline constexpr std::size_t kMaxOrderBodySize = 2048;

// Returns the body length, or 0 if `capacity` is too small (nothing meaningful is left in `out` then).
std::size_t write_order_body(const SignedOrder& order, const OrderBodyOptions& options, char* out,
                             std::size_t capacity) noexcept;

// A JSON string literal body (without quotes) escaped as JSON.stringify does; returns the length or 0 if it does
// not fit.
std::size_t write_json_escaped(std::string_view s, char* out, std::size_t capacity) noexcept;

}  // namespace polybot::oms
