// VenueError: every error the Polymarket CLOB is known to answer (protocol notes §8), as a stable reason code
// carried in ExecReport::venue_reason, and what the engine must do about it (its Disposition).
// Pure functions, any thread, no allocation.
#pragma once

#include <cstdint>
#include <string_view>

namespace polybot::oms {

// Stable numbers: journaled in ExecReport::venue_reason. Append only.
enum class VenueError : std::uint16_t {
  kNone = 0,
  kInvalidTickSize = 1,        // INVALID_ORDER_MIN_TICK_SIZE
  kMinSize = 2,                // INVALID_ORDER_MIN_SIZE
  kDuplicated = 3,             // INVALID_ORDER_DUPLICATED
  kNotEnoughBalance = 4,       // INVALID_ORDER_NOT_ENOUGH_BALANCE, "not enough balance / allowance"
  kExpiration = 5,             // INVALID_ORDER_EXPIRATION
  kOrderError = 6,             // INVALID_ORDER_ERROR
  kPostOnlyOrderType = 7,      // INVALID_POST_ONLY_ORDER_TYPE
  kPostOnlyCrosses = 8,        // INVALID_POST_ONLY_ORDER, "order crosses book"
  kExecutionError = 9,         // EXECUTION_ERROR, "could not run the execution" (outcome unknown)
  kOrderDelayed = 10,          // ORDER_DELAYED (not an error: the match is delayed)
  kDelayingOrderError = 11,    // DELAYING_ORDER_ERROR
  kFokNotFilled = 12,          // FOK_ORDER_NOT_FILLED_ERROR
  kMarketNotReady = 13,        // MARKET_NOT_READY
  kInvalidSignature = 14,      // "invalid signature"
  kUnauthorized = 15,          // "Unauthorized/Invalid api key" (bad L2 HMAC or key)
  kInvalidL1Headers = 16,      // "Invalid L1 Request headers"
  kSignerNotApiKey = 17,       // "the order signer address has to be the address of the API KEY"
  kInvalidPayload = 18,        // "Invalid order payload"
  kVersionMismatch = 19,       // "order_version_mismatch", "invalid order version"
  kInvalidAmounts = 20,        // "invalid amounts, ... max accuracy of ..."
  kNoOrderbook = 21,           // "No orderbook exists for the requested token id"
  kCouldNotCreateApiKey = 22,  // "Could not create api key"
  kCouldNotDeriveApiKey = 23,  // "Could not derive api key!"
  kTradingDisabled = 24,       // "Trading is currently disabled" (503)
  kCancelOnly = 25,            // cancel-only variant of the above (503)
  kTooEarly = 26,              // HTTP 425: matching engine restarting
  kRateLimited = 27,           // HTTP 429
  kForbidden = 28,             // HTTP 403 (geoblock / Cloudflare)
  kInvalidHeartbeatId = 29,    // "Invalid Heartbeat ID"
  kFakNoMatch = 30,            // "No orders found to match with FAK order"
  kAlreadyDone = 31,           // cancel: "already canceled or matched"
  kServerError = 32,           // 5xx without a recognised message (outcome unknown)
  kUnrecognised = 33,          // a 4xx whose message we do not know
  kTimeout = 34,               // no answer in time (ours, not the venue's)
  kTransport = 35,             // connection failed / reset (ours)
  kPostOnlyMode = 36,          // only post-only orders accepted (after an engine restart)
  kCount
};

// What the engine does about an error.
enum class Disposition : std::uint8_t {
  kOk = 0,            // not an error (e.g. ORDER_DELAYED)
  kRejected = 1,      // the order is dead: the venue will never act on it; re-signing a new one is safe
  kUnknown = 2,       // we cannot tell whether it reached the book: Unknown state, reconcile before trading
  kBackPressure = 3,  // 429/425: wait (bucket/backoff), never retry blindly
  kFailClosed = 4,    // auth/config/geoblock/trading disabled: stop new orders until an operator or a check clears it
};

[[nodiscard]] const char* to_string(VenueError e) noexcept;
[[nodiscard]] Disposition disposition_of(VenueError e) noexcept;

// Maps an HTTP status and the venue's message (an `error` or `errorMsg` string, or a raw body) to a code.
// The message is matched case-insensitively by substring against every known code name and literal (§8.2, §8.3);
// the status decides when the message is unknown. 2xx with an empty message is kNone.
[[nodiscard]] VenueError classify_venue_error(int http_status, std::string_view message) noexcept;

}  // namespace polybot::oms
