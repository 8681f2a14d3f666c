#include "oms/gateway/venue_error.hpp"

#include <array>
#include <cstddef>

namespace polybot::oms {
namespace {

struct Pattern {
  std::string_view needle;
  VenueError code;
};

// Order matters: longer, more specific needles first (INVALID_POST_ONLY_ORDER_TYPE before INVALID_POST_ONLY_ORDER).
constexpr std::array kPatterns{
    Pattern{"INVALID_ORDER_MIN_TICK_SIZE", VenueError::kInvalidTickSize},
    Pattern{"INVALID_ORDER_MIN_SIZE", VenueError::kMinSize},
    Pattern{"INVALID_ORDER_DUPLICATED", VenueError::kDuplicated},
    Pattern{"INVALID_ORDER_NOT_ENOUGH_BALANCE", VenueError::kNotEnoughBalance},
    Pattern{"INVALID_ORDER_EXPIRATION", VenueError::kExpiration},
    Pattern{"INVALID_ORDER_ERROR", VenueError::kOrderError},
    Pattern{"INVALID_POST_ONLY_ORDER_TYPE", VenueError::kPostOnlyOrderType},
    Pattern{"INVALID_POST_ONLY_ORDER", VenueError::kPostOnlyCrosses},
    Pattern{"EXECUTION_ERROR", VenueError::kExecutionError},
    Pattern{"DELAYING_ORDER_ERROR", VenueError::kDelayingOrderError},
    Pattern{"ORDER_DELAYED", VenueError::kOrderDelayed},
    Pattern{"FOK_ORDER_NOT_FILLED_ERROR", VenueError::kFokNotFilled},
    Pattern{"MARKET_NOT_READY", VenueError::kMarketNotReady},
    Pattern{"invalid post-only order", VenueError::kPostOnlyCrosses},
    Pattern{"order crosses book", VenueError::kPostOnlyCrosses},
    Pattern{"post only mode", VenueError::kPostOnlyMode},
    Pattern{"post-only mode", VenueError::kPostOnlyMode},
    Pattern{"only post-only orders", VenueError::kPostOnlyMode},
    Pattern{"could not run the execution", VenueError::kExecutionError},
    Pattern{"order_version_mismatch", VenueError::kVersionMismatch},
    Pattern{"invalid order version", VenueError::kVersionMismatch},
    Pattern{"the order signer address has to be the address of the api key", VenueError::kSignerNotApiKey},
    Pattern{"invalid signature", VenueError::kInvalidSignature},
    Pattern{"Invalid L1 Request headers", VenueError::kInvalidL1Headers},
    Pattern{"Unauthorized", VenueError::kUnauthorized},
    Pattern{"Invalid api key", VenueError::kUnauthorized},
    Pattern{"Invalid order payload", VenueError::kInvalidPayload},
    Pattern{"invalid amount", VenueError::kInvalidAmounts},
    Pattern{"not enough balance", VenueError::kNotEnoughBalance},
    Pattern{"No orderbook exists", VenueError::kNoOrderbook},
    Pattern{"Could not create api key", VenueError::kCouldNotCreateApiKey},
    Pattern{"Could not derive api key", VenueError::kCouldNotDeriveApiKey},
    Pattern{"cancel-only", VenueError::kCancelOnly},
    Pattern{"cancel only", VenueError::kCancelOnly},
    Pattern{"Trading is currently disabled", VenueError::kTradingDisabled},
    Pattern{"Invalid Heartbeat ID", VenueError::kInvalidHeartbeatId},
    Pattern{"No orders found to match with FAK order", VenueError::kFakNoMatch},
    Pattern{"already canceled or matched", VenueError::kAlreadyDone},
    Pattern{"Too Many Requests", VenueError::kRateLimited},
    Pattern{"Too Early", VenueError::kTooEarly},
    Pattern{"duplicated", VenueError::kDuplicated},
    Pattern{"tick size", VenueError::kInvalidTickSize},
    Pattern{"min size", VenueError::kMinSize},
    Pattern{"market not ready", VenueError::kMarketNotReady},
    Pattern{"expiration", VenueError::kExpiration},
};

constexpr char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool contains_icase(std::string_view hay, std::string_view needle) noexcept {
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    std::size_t j = 0;
    while (j < needle.size() && lower(hay[i + j]) == lower(needle[j])) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

}  // namespace

VenueError classify_venue_error(int http_status, std::string_view message) noexcept {
  // Status codes that are back-pressure whatever the body says (the body may be a Cloudflare HTML page).
  if (http_status == 429) return VenueError::kRateLimited;
  if (http_status == 425) return VenueError::kTooEarly;
  for (const auto& p : kPatterns) {
    if (contains_icase(message, p.needle)) return p.code;
  }
  if (http_status == 403) return VenueError::kForbidden;
  if (http_status == 401) return VenueError::kUnauthorized;
  if (http_status == 503) return VenueError::kTradingDisabled;
  if (http_status >= 500) return VenueError::kServerError;
  if (http_status >= 400) return VenueError::kUnrecognised;
  if (http_status == 0) return VenueError::kTransport;
  return message.empty() ? VenueError::kNone : VenueError::kUnrecognised;
}

Disposition disposition_of(VenueError e) noexcept {
  switch (e) {
    case VenueError::kNone:
    case VenueError::kOrderDelayed:
      return Disposition::kOk;
    case VenueError::kInvalidTickSize:
    case VenueError::kMinSize:
    case VenueError::kDuplicated:
    case VenueError::kNotEnoughBalance:
    case VenueError::kExpiration:
    case VenueError::kOrderError:
    case VenueError::kPostOnlyOrderType:
    case VenueError::kPostOnlyCrosses:
    case VenueError::kDelayingOrderError:
    case VenueError::kFokNotFilled:
    case VenueError::kMarketNotReady:
    case VenueError::kInvalidPayload:
    case VenueError::kInvalidAmounts:
    case VenueError::kNoOrderbook:
    case VenueError::kFakNoMatch:
    case VenueError::kAlreadyDone:
    case VenueError::kUnrecognised:
    case VenueError::kPostOnlyMode:
      return Disposition::kRejected;
    case VenueError::kExecutionError:
    case VenueError::kServerError:
    case VenueError::kTimeout:
    case VenueError::kTransport:
      return Disposition::kUnknown;
    case VenueError::kTooEarly:
    case VenueError::kRateLimited:
      return Disposition::kBackPressure;
    case VenueError::kInvalidSignature:
    case VenueError::kUnauthorized:
    case VenueError::kInvalidL1Headers:
    case VenueError::kSignerNotApiKey:
    case VenueError::kVersionMismatch:
    case VenueError::kCouldNotCreateApiKey:
    case VenueError::kCouldNotDeriveApiKey:
    case VenueError::kTradingDisabled:
    case VenueError::kCancelOnly:
    case VenueError::kForbidden:
    case VenueError::kInvalidHeartbeatId:
    case VenueError::kCount:
      return Disposition::kFailClosed;
  }
  return Disposition::kFailClosed;
}

const char* to_string(VenueError e) noexcept {
  switch (e) {
    case VenueError::kNone: return "none";
    case VenueError::kInvalidTickSize: return "invalid_tick_size";
    case VenueError::kMinSize: return "min_size";
    case VenueError::kDuplicated: return "duplicated";
    case VenueError::kNotEnoughBalance: return "not_enough_balance";
    case VenueError::kExpiration: return "expiration";
    case VenueError::kOrderError: return "order_error";
    case VenueError::kPostOnlyOrderType: return "post_only_order_type";
    case VenueError::kPostOnlyCrosses: return "post_only_crosses";
    case VenueError::kExecutionError: return "execution_error";
    case VenueError::kOrderDelayed: return "order_delayed";
    case VenueError::kDelayingOrderError: return "delaying_order_error";
    case VenueError::kFokNotFilled: return "fok_not_filled";
    case VenueError::kMarketNotReady: return "market_not_ready";
    case VenueError::kInvalidSignature: return "invalid_signature";
    case VenueError::kUnauthorized: return "unauthorized";
    case VenueError::kInvalidL1Headers: return "invalid_l1_headers";
    case VenueError::kSignerNotApiKey: return "signer_not_api_key";
    case VenueError::kInvalidPayload: return "invalid_payload";
    case VenueError::kVersionMismatch: return "version_mismatch";
    case VenueError::kInvalidAmounts: return "invalid_amounts";
    case VenueError::kNoOrderbook: return "no_orderbook";
    case VenueError::kCouldNotCreateApiKey: return "could_not_create_api_key";
    case VenueError::kCouldNotDeriveApiKey: return "could_not_derive_api_key";
    case VenueError::kTradingDisabled: return "trading_disabled";
    case VenueError::kCancelOnly: return "cancel_only";
    case VenueError::kTooEarly: return "too_early";
    case VenueError::kRateLimited: return "rate_limited";
    case VenueError::kForbidden: return "forbidden";
    case VenueError::kInvalidHeartbeatId: return "invalid_heartbeat_id";
    case VenueError::kFakNoMatch: return "fak_no_match";
    case VenueError::kAlreadyDone: return "already_canceled_or_matched";
    case VenueError::kServerError: return "server_error";
    case VenueError::kUnrecognised: return "unrecognised";
    case VenueError::kTimeout: return "timeout";
    case VenueError::kTransport: return "transport";
    case VenueError::kPostOnlyMode: return "post_only_mode";
    case VenueError::kCount: break;
  }
  return "?";
}

}  // namespace polybot::oms
