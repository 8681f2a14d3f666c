// Intent: what a strategy wants, with the reason and the inputs that produced it. Denied: what risk refused.
#pragma once

#include <cstdint>

#include "core/fixed_point.hpp"
#include "core/msg/header.hpp"
#include "core/msg/market_event.hpp"

namespace polybot {

enum class IntentAction : std::uint8_t {
  kSkip = 0,       // a decision not to trade, journaled with its inputs
  kPlace = 1,
  kCancel = 2,
  kCancelAll = 3,  // every order of this strategy on this market
  kHalt = 4,       // the strategy asks risk to stop it
};
enum class Outcome : std::uint8_t { kNone = 0, kUp = 1, kDown = 2 };
enum class OrderType : std::uint8_t { kGtc = 0, kGtd = 1, kFok = 2, kFak = 3 };

// Reason codes are stable numbers (journaled). Strategies own ranges of 100.
using ReasonCode = std::uint16_t;

struct Intent {
  static constexpr MsgType kType = MsgType::kIntent;
  MsgHeader hdr;                 // hdr.instrument: the token to trade (0 for skip/cancel-all)
  MarketId market{};
  StrategyId strategy{};
  ReasonCode reason = 0;
  IntentAction action = IntentAction::kSkip;
  Outcome outcome = Outcome::kNone;
  Side side = Side::kBuy;
  OrderType order_type = OrderType::kGtc;
  std::uint8_t post_only = 0;
  std::uint8_t pad0_[3]{};
  Price limit_price;             // worst acceptable price
  Qty size;                      // shares; 0 when sized by notional
  Usdc notional;                 // USDC to spend; 0 when sized by shares
  std::int64_t expiration_s = 0; // GTD only
  ClientOrderId cancel_target{}; // kCancel
  std::int64_t window_end_s = 0;
  // The inputs behind the decision (indicator maths is double; these never reach a book or an order).
  double inputs[8]{};
};
POLYBOT_MESSAGE(Intent);

enum class DenyReason : std::uint16_t {
  kNone = 0,
  kHalted = 1,
  kReducing = 2,
  kDrawdownBreaker = 3,
  kVolatilityBreaker = 4,
  kInsufficientCapital = 5,
  kBelowMinOrder = 6,
  kPositionLimit = 7,
  kOneBookPerWindow = 8,
  kInvalidBook = 9,
  kUnknownOrderState = 10,
  kTooLate = 11,
  kRateLimited = 12,
  kChannelFull = 13,
  kExposureLimit = 14,
  kHeartbeatFailed = 15,
};

struct Denied {
  static constexpr MsgType kType = MsgType::kDenied;
  MsgHeader hdr;                 // hdr.cause_seq: the intent's seq
  MarketId market{};
  StrategyId strategy{};
  DenyReason reason = DenyReason::kNone;
  Price limit_price;
  Qty size;
  Usdc notional;
  Usdc limit_value;              // the limit that was hit, in its own units (0 when not applicable)
  std::uint8_t pad_[24]{};
};
POLYBOT_MESSAGE(Denied);

}  // namespace polybot
