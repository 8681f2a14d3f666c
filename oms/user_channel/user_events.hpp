// What the authenticated user channel says (protocol notes §11): `order` and `trade` events, decoded into fixed
// structs. String views point into the frame buffer and are valid only during the sink callback.
// Plain data, any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/fixed_point.hpp"
#include "core/msg/market_event.hpp"
#include "core/msg/order.hpp"
#include "oms/lifecycle/order_state.hpp"

namespace polybot::oms {

enum class UserOrderType : std::uint8_t { kOther = 0, kPlacement = 1, kUpdate = 2, kCancellation = 3 };
enum class UserOrderStatus : std::uint8_t { kOther = 0, kLive = 1, kMatched = 2, kCanceled = 3, kInvalid = 4 };

struct UserOrderEvent {
  UserOrderType type = UserOrderType::kOther;
  UserOrderStatus status = UserOrderStatus::kOther;
  OrderDigest id{};
  bool id_valid = false;
  ::polybot::Side side = ::polybot::Side::kBuy;
  Price price;
  Qty original_size;
  Qty size_matched;
  std::int64_t timestamp_ms = 0;
  std::string_view status_text;   // e.g. "CANCELED_order couldn't be fully filled. FOK ..."
  std::string_view owner;
  std::string_view market;
  std::string_view asset_id;
  std::string_view order_type;
};

struct UserMakerOrder {
  OrderDigest order_id{};
  bool order_id_valid = false;
  Price price;
  Qty matched_amount;
  std::string_view owner;
  std::string_view maker_address;
  std::string_view asset_id;
  std::string_view outcome;
};

enum class TraderSide : std::uint8_t { kUnknown = 0, kTaker = 1, kMaker = 2 };

struct UserTradeEvent {
  static constexpr std::size_t kMaxMakers = 32;
  std::string_view trade_id;
  OrderDigest taker_order_id{};
  bool taker_order_id_valid = false;
  TradeStatus status = TradeStatus::kNone;
  TraderSide trader_side = TraderSide::kUnknown;
  ::polybot::Side side = ::polybot::Side::kBuy;
  Price price;
  Qty size;
  std::int64_t match_time_s = 0;
  std::int64_t timestamp_ms = 0;
  std::string_view owner;
  std::string_view market;
  std::string_view asset_id;
  std::string_view maker_address;
  std::uint32_t maker_count = 0;
  bool makers_truncated = false;
  std::array<UserMakerOrder, kMaxMakers> makers{};
};

// One fill of one of our orders, derived from a trade event (see attribute_fills).
struct OurFill {
  OrderDigest order{};
  Qty qty;
  Price price;          // the price our order filled at (the maker's price, or 1 - it for a complement match)
  bool maker = false;
  std::uint32_t leg = 0;  // a taker fill: which maker leg of the trade (legs of one trade are separate fills)
};

}  // namespace polybot::oms
