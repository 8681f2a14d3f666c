// OrderRequest (what risk approved), ExecReport (what the venue said), Command (control plane), PositionUpdate.
#pragma once

#include <cstdint>

#include "core/fixed_point.hpp"
#include "core/msg/header.hpp"
#include "core/msg/intent.hpp"

namespace polybot {

enum class OrderAction : std::uint8_t { kNew = 0, kCancel = 1, kCancelMarket = 2, kCancelAll = 3 };

struct OrderRequest {
  static constexpr MsgType kType = MsgType::kOrderRequest;
  MsgHeader hdr;                 // hdr.instrument: token
  ClientOrderId client_id{};
  MarketId market{};
  StrategyId strategy{};
  OrderAction action = OrderAction::kNew;
  Side side = Side::kBuy;
  Price price;                   // limit price; for market orders the worst acceptable price
  Qty size;                      // limit orders: shares
  Usdc amount;                   // market buys: USDC to spend (size 0)
  std::int64_t expiration_s = 0;
  OrderType order_type = OrderType::kGtc;
  std::uint8_t post_only = 0;
  std::uint8_t market_order = 0;
  std::uint8_t pad0_[5]{};
  Price tick;                    // the market's tick size when risk approved
};
POLYBOT_MESSAGE(OrderRequest);

// Past tense: what happened to our order. Denied lives in intent.hpp (our risk said no); Rejected is the venue.
enum class ExecKind : std::uint8_t {
  kSubmitted = 0,
  kAccepted = 1,
  kRejected = 2,
  kPartiallyFilled = 3,
  kFilled = 4,
  kCancelled = 5,
  kExpired = 6,
  kSettled = 7,
  kUnknown = 8,      // we cannot tell (timeout): blocks new orders on the market until reconciled
  kReconciled = 9,
};

enum class TradeStatus : std::uint8_t { kNone = 0, kMatched = 1, kMined = 2, kConfirmed = 3, kRetrying = 4, kFailed = 5 };

struct ExecReport {
  static constexpr MsgType kType = MsgType::kExecReport;
  MsgHeader hdr;                 // hdr.instrument: token
  ClientOrderId client_id{};
  VenueOrderKey venue_key{};
  MarketId market{};
  StrategyId strategy{};
  ExecKind kind = ExecKind::kSubmitted;
  Side side = Side::kBuy;
  Price price;                   // order price
  Price last_price;              // this fill
  Qty last_qty;
  Qty cum_qty;
  Qty leaves_qty;
  Usdc fee;                      // fee of this fill
  std::uint16_t venue_reason = 0;  // reason code of a rejection
  TradeStatus trade_status = TradeStatus::kNone;
  Outcome outcome = Outcome::kNone;
  std::uint8_t pad0_[4]{};
  Usdc payout;                   // kSettled
  std::uint8_t pad_[40]{};
};
POLYBOT_MESSAGE(ExecReport);

enum class CommandKind : std::uint8_t { kHalt = 0, kResume = 1, kPanic = 2, kReduceOnly = 3, kReconcile = 4 };
struct Command {
  static constexpr MsgType kType = MsgType::kCommand;
  MsgHeader hdr;
  CommandKind kind = CommandKind::kHalt;
  std::uint8_t pad0_[1]{};
  StrategyId strategy{};          // 0: all
  MarketId market{};              // 0: all
  std::uint8_t pad_[56]{};
};
POLYBOT_MESSAGE(Command);

enum class TradingState : std::uint8_t { kActive = 0, kReducing = 1, kHalted = 2 };
struct PositionUpdate {
  static constexpr MsgType kType = MsgType::kPositionUpdate;
  MsgHeader hdr;
  MarketId market{};
  StrategyId strategy{};
  TradingState state = TradingState::kActive;
  std::uint8_t pad0_[1]{};
  Qty up_shares;
  Qty down_shares;
  Usdc up_cost;
  Usdc down_cost;
  Usdc realized_pnl;
  Usdc capital;
  std::int32_t win_streak = 0;
  std::uint8_t pad_[4]{};
};
POLYBOT_MESSAGE(PositionUpdate);

}  // namespace polybot
