#include "oms/gateway/venue_error.hpp"

#include <gtest/gtest.h>

namespace polybot::oms {
namespace {

TEST(VenueError, MapsEveryDocumentedCodeName) {
  EXPECT_EQ(classify_venue_error(400, "INVALID_ORDER_MIN_TICK_SIZE"), VenueError::kInvalidTickSize);
  EXPECT_EQ(classify_venue_error(400, "INVALID_ORDER_MIN_SIZE"), VenueError::kMinSize);
  EXPECT_EQ(classify_venue_error(400, "INVALID_ORDER_DUPLICATED"), VenueError::kDuplicated);
  EXPECT_EQ(classify_venue_error(400, "INVALID_ORDER_NOT_ENOUGH_BALANCE"), VenueError::kNotEnoughBalance);
  EXPECT_EQ(classify_venue_error(400, "INVALID_ORDER_EXPIRATION"), VenueError::kExpiration);
  EXPECT_EQ(classify_venue_error(400, "INVALID_ORDER_ERROR"), VenueError::kOrderError);
  EXPECT_EQ(classify_venue_error(400, "INVALID_POST_ONLY_ORDER_TYPE"), VenueError::kPostOnlyOrderType);
  EXPECT_EQ(classify_venue_error(400, "INVALID_POST_ONLY_ORDER"), VenueError::kPostOnlyCrosses);
  EXPECT_EQ(classify_venue_error(500, "EXECUTION_ERROR"), VenueError::kExecutionError);
  EXPECT_EQ(classify_venue_error(200, "ORDER_DELAYED"), VenueError::kOrderDelayed);
  EXPECT_EQ(classify_venue_error(400, "DELAYING_ORDER_ERROR"), VenueError::kDelayingOrderError);
  EXPECT_EQ(classify_venue_error(400, "FOK_ORDER_NOT_FILLED_ERROR"), VenueError::kFokNotFilled);
  EXPECT_EQ(classify_venue_error(400, "MARKET_NOT_READY"), VenueError::kMarketNotReady);
}

TEST(VenueError, MapsEveryLiteralStringFromTheProtocolNotes) {
  EXPECT_EQ(classify_venue_error(400, "invalid signature"), VenueError::kInvalidSignature);
  EXPECT_EQ(classify_venue_error(401, "Unauthorized/Invalid api key"), VenueError::kUnauthorized);
  EXPECT_EQ(classify_venue_error(401, "Invalid L1 Request headers"), VenueError::kInvalidL1Headers);
  EXPECT_EQ(classify_venue_error(400, "the order signer address has to be the address of the API KEY"),
            VenueError::kSignerNotApiKey);
  EXPECT_EQ(classify_venue_error(400, "Invalid order payload"), VenueError::kInvalidPayload);
  EXPECT_EQ(classify_venue_error(400, "order_version_mismatch"), VenueError::kVersionMismatch);
  EXPECT_EQ(classify_venue_error(400, "invalid order version, please use the latest clob-client"),
            VenueError::kVersionMismatch);
  EXPECT_EQ(classify_venue_error(400, "invalid amounts, the buy orders maker amount supports a max accuracy of 4 "
                                      "decimals, taker amount a max of 2 decimals"),
            VenueError::kInvalidAmounts);
  EXPECT_EQ(classify_venue_error(400, "not enough balance / allowance"), VenueError::kNotEnoughBalance);
  EXPECT_EQ(classify_venue_error(404, "No orderbook exists for the requested token id"), VenueError::kNoOrderbook);
  EXPECT_EQ(classify_venue_error(400, "Could not create api key"), VenueError::kCouldNotCreateApiKey);
  EXPECT_EQ(classify_venue_error(400, "Could not derive api key!"), VenueError::kCouldNotDeriveApiKey);
  EXPECT_EQ(classify_venue_error(503, "Trading is currently disabled. Check polymarket.com for updates"),
            VenueError::kTradingDisabled);
  EXPECT_EQ(classify_venue_error(503, "Trading is currently cancel-only"), VenueError::kCancelOnly);
  EXPECT_EQ(classify_venue_error(400, "Invalid Heartbeat ID"), VenueError::kInvalidHeartbeatId);
  EXPECT_EQ(classify_venue_error(500, "could not run the execution"), VenueError::kExecutionError);
  EXPECT_EQ(classify_venue_error(400, "No orders found to match with FAK order"), VenueError::kFakNoMatch);
  EXPECT_EQ(classify_venue_error(200, "already canceled or matched"), VenueError::kAlreadyDone);
  EXPECT_EQ(classify_venue_error(400, "invalid post-only order: order crosses book"), VenueError::kPostOnlyCrosses);
}

TEST(VenueError, StatusDecidesWhenTheBodyIsUnknown) {
  EXPECT_EQ(classify_venue_error(429, "<html>Too Many Requests</html>"), VenueError::kRateLimited);
  EXPECT_EQ(classify_venue_error(425, ""), VenueError::kTooEarly);
  EXPECT_EQ(classify_venue_error(403, "<html>cloudflare</html>"), VenueError::kForbidden);
  EXPECT_EQ(classify_venue_error(502, "bad gateway"), VenueError::kServerError);
  EXPECT_EQ(classify_venue_error(418, "teapot"), VenueError::kUnrecognised);
  EXPECT_EQ(classify_venue_error(200, ""), VenueError::kNone);
}

TEST(VenueError, DispositionSeparatesDeadFromUnknownFromBackPressure) {
  EXPECT_EQ(disposition_of(VenueError::kInvalidTickSize), Disposition::kRejected);
  EXPECT_EQ(disposition_of(VenueError::kExecutionError), Disposition::kUnknown);
  EXPECT_EQ(disposition_of(VenueError::kTimeout), Disposition::kUnknown);
  EXPECT_EQ(disposition_of(VenueError::kRateLimited), Disposition::kBackPressure);
  EXPECT_EQ(disposition_of(VenueError::kTooEarly), Disposition::kBackPressure);
  EXPECT_EQ(disposition_of(VenueError::kInvalidSignature), Disposition::kFailClosed);
  EXPECT_EQ(disposition_of(VenueError::kUnauthorized), Disposition::kFailClosed);
  EXPECT_EQ(disposition_of(VenueError::kOrderDelayed), Disposition::kOk);
  for (int i = 0; i < static_cast<int>(VenueError::kCount); ++i) {
    EXPECT_STRNE(to_string(static_cast<VenueError>(i)), "?") << i;
  }
}

}  // namespace
}  // namespace polybot::oms
