// BookTop: top of book of both outcome tokens of one market, published by the feed stage only when something
// changed. A strategy or risk check must not use a side whose `valid` is 0.
#pragma once

#include <cstdint>

#include "core/fixed_point.hpp"
#include "core/msg/header.hpp"

namespace polybot {

struct TokenTop {
  InstrumentId token{};
  std::uint8_t valid = 0;         // 0: the book is not trusted (resyncing, stale, crossed...)
  std::uint8_t pad0_[3]{};
  Price bid;                      // 0 when no bid
  Qty bid_size;
  Price ask;                      // 0 when no ask
  Qty ask_size;
  Qty bid_depth;                  // total size over the top N bid levels (N from config)
  Qty ask_depth;
  Price tick;                     // current tick size
};
static_assert(sizeof(TokenTop) == 64, "one cache line per token");

struct BookTop {
  static constexpr MsgType kType = MsgType::kBookTop;
  MsgHeader hdr;                  // hdr.instrument: the Up token; market below
  TokenTop up;
  TokenTop down;
  MarketId market{};
  std::uint32_t fee_rate_bps = 0; // taker fee rate of the market as the venue reports it
  Qty min_order_size;
  std::int64_t window_start_s = 0;
  std::int64_t window_end_s = 0;
  std::uint8_t pad_[32]{};
};
POLYBOT_MESSAGE(BookTop);

}  // namespace polybot
