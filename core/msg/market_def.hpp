// MarketDef: the definition of one tradable Up/Down window as market discovery resolved it (Gamma), sent down the
// pipeline by the feed when the market is registered, so every later stage learns the venue's names for the
// engine's ids (token ids, condition id), the tick, minimum size, fee and neg-risk flag from the journaled
// message stream itself: replay rebuilds the same directory. Roll-over rate (a few per 5 minutes), not hot.
#pragma once

#include <cstdint>

#include "core/fixed_point.hpp"
#include "core/msg/header.hpp"
#include "core/word256.hpp"

namespace polybot {

struct MarketDef {
  static constexpr MsgType kType = MsgType::kMarketDef;
  MsgHeader hdr;                   // hdr.instrument = the Up token
  MarketId market{};
  InstrumentId up{};
  InstrumentId down{};
  std::uint32_t fee_rate_bps = 0;
  std::int64_t window_start_s = 0;
  std::int64_t window_end_s = 0;
  Price tick;                      // the venue's tick at discovery (later changes arrive as TickSizeChange)
  Qty min_order_size;
  std::uint32_t interval_s = 0;    // 300 or 900
  std::uint8_t neg_risk = 0;       // 1: orders are signed against the neg-risk exchange
  std::uint8_t pad0_[3]{};
  Word256 up_token{};              // venue token ids (uint256, big-endian)
  Word256 down_token{};
  Word256 condition_id{};
  std::uint8_t pad_[40]{};
};
POLYBOT_MESSAGE(MarketDef);

}  // namespace polybot
