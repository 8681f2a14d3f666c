#include "core/msg/envelope.hpp"

namespace polybot {

std::size_t message_size(MsgType t) noexcept {
  switch (t) {
    case MsgType::kBookLevel: return sizeof(BookLevel);
    case MsgType::kBookSnapshot: return sizeof(BookSnapshot);
    case MsgType::kTrade: return sizeof(Trade);
    case MsgType::kTickSizeChange: return sizeof(TickSizeChange);
    case MsgType::kBtcTick: return sizeof(BtcTick);
    case MsgType::kKline: return sizeof(Kline);
    case MsgType::kRefPrice: return sizeof(RefPrice);
    case MsgType::kMarketStatus: return sizeof(MarketStatus);
    case MsgType::kMarketDef: return sizeof(MarketDef);
    case MsgType::kBookTop: return sizeof(BookTop);
    case MsgType::kTimer: return sizeof(Timer);
    case MsgType::kIntent: return sizeof(Intent);
    case MsgType::kDenied: return sizeof(Denied);
    case MsgType::kOrderRequest: return sizeof(OrderRequest);
    case MsgType::kExecReport: return sizeof(ExecReport);
    case MsgType::kCommand: return sizeof(Command);
    case MsgType::kPositionUpdate: return sizeof(PositionUpdate);
    case MsgType::kNone:
    case MsgType::kDecision: break;
  }
  return 0;
}

const char* to_string(MsgType t) noexcept {
  switch (t) {
    case MsgType::kNone: return "none";
    case MsgType::kBookLevel: return "book_level";
    case MsgType::kBookSnapshot: return "book_snapshot";
    case MsgType::kTrade: return "trade";
    case MsgType::kTickSizeChange: return "tick_size_change";
    case MsgType::kBtcTick: return "btc_tick";
    case MsgType::kKline: return "kline";
    case MsgType::kRefPrice: return "ref_price";
    case MsgType::kMarketStatus: return "market_status";
    case MsgType::kMarketDef: return "market_def";
    case MsgType::kBookTop: return "book_top";
    case MsgType::kTimer: return "timer";
    case MsgType::kIntent: return "intent";
    case MsgType::kDenied: return "denied";
    case MsgType::kOrderRequest: return "order_request";
    case MsgType::kExecReport: return "exec_report";
    case MsgType::kCommand: return "command";
    case MsgType::kPositionUpdate: return "position_update";
    case MsgType::kDecision: return "decision";
  }
  return "unknown";
}

}  // namespace polybot
