// One fuzz entry for the oms input parsers (addresses, hex, base64 secrets, token ids, tick sizes, decimal
// prices/sizes) and what they feed (amounts, the JSON string escaper), shared by the libFuzzer target (clang) and
// the gcc-built smoke test. Checks round-trip and arithmetic invariants; aborts on a violation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/fixed_point.hpp"
#include "oms/crypto/address.hpp"
#include "oms/crypto/base64.hpp"
#include "oms/crypto/hex.hpp"
#include "oms/order/amounts.hpp"
#include "oms/order/order.hpp"
#include "oms/order/order_body.hpp"

namespace polybot::oms::fuzz {

inline void require(bool ok) {
  if (!ok) std::abort();
}

inline void fuzz_one(const std::uint8_t* data, std::size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  // Fields separated by '|': address | hex32 | base64 | token id | tick | price | size.
  std::string_view f[7];
  std::size_t start = 0;
  for (int i = 0; i < 7; ++i) {
    const std::size_t bar = all.find('|', start);
    f[i] = all.substr(start < all.size() ? start : all.size(), bar == std::string_view::npos ? std::string_view::npos
                                                                                              : bar - start);
    start = bar == std::string_view::npos ? all.size() : bar + 1;
  }

  const AddressParse a = parse_address(f[0]);
  if (a.ok) {
    char text[Address::kHexLen];
    a.address.write_checksummed(text);
    const AddressParse back = parse_address(std::string_view(text, sizeof text));
    require(back.ok && back.address == a.address);
  }

  std::uint8_t b32[32];
  if (parse_hex(f[1], b32, 32)) {
    char text[64];
    write_hex(b32, 32, text);
    std::uint8_t again[32];
    require(parse_hex(std::string_view(text, 64), again, 32));
    for (int i = 0; i < 32; ++i) require(again[i] == b32[i]);
  }

  std::uint8_t raw[256];
  std::size_t n = 0;
  if (base64_decode_any(f[2], raw, sizeof raw, n)) {
    char enc[base64_encoded_len(sizeof raw)];
    const std::size_t len = base64url_encode_padded(raw, n, enc);
    std::uint8_t again[256];
    std::size_t m = 0;
    require(base64_decode_any(std::string_view(enc, len), again, sizeof again, m) && m == n);
    for (std::size_t i = 0; i < n; ++i) require(again[i] == raw[i]);
  }

  TokenId token;
  if (TokenId::parse(f[3], token)) require(token.text() == f[3]);

  char esc[64 * 6];
  const std::string_view owner = f[3].substr(0, 64);
  const std::size_t w = write_json_escaped(owner, esc, sizeof esc);
  require(owner.empty() || w >= owner.size());

  TickSize tick{};
  if (!parse_tick_size(f[4], tick)) tick = TickSize::k0_01;
  const auto price = Price::parse(f[5]);
  const auto qty = Qty::parse(f[6]);
  if (!price || !qty) return;
  const TickRounding r = tick_rounding(tick);
  for (Side side : {Side::kBuy, Side::kSell}) {
    auto lim = limit_order_amounts(side, *price, *qty, tick, false, AmountLimits{});
    if (lim) {
      const std::uint64_t shares = side == Side::kBuy ? lim->taker : lim->maker;
      const std::uint64_t usdc = side == Side::kBuy ? lim->maker : lim->taker;
      require(shares % 10000 == 0 && shares > 0);
      require(price->raw % r.tick.raw == 0);
      require(static_cast<i128>(usdc) * Price::kScale == static_cast<i128>(shares) * price->raw);  // exact
    }
    auto mkt = market_order_amounts(side, *price, qty->raw, tick, AmountLimits{});
    if (mkt && side == Side::kBuy) {
      // shares received never exceed what the money buys at the worst price, and are within one unit of it.
      const i128 lhs = static_cast<i128>(mkt->taker) * price->raw;
      const i128 rhs = static_cast<i128>(mkt->maker) * Price::kScale;
      require(lhs <= rhs + static_cast<i128>(price->raw));
    }
  }
}

}  // namespace polybot::oms::fuzz
