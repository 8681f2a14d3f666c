// RawFrameSink: where a feed session hands every inbound frame, byte for byte with its receive time, before it
// is parsed, so the journal can keep the raw stream (and captures of real venues become test data). Called on the
// feed thread inside IoLoop::poll(); the bytes are valid only during the call. Must not block or throw.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/msg/market_event.hpp"

namespace polybot::feed {

enum class FeedChannel : std::uint8_t {
  kPolymarketMarket = 0,
  kPolymarketRest = 1,
  kBinanceStream = 2,
  kBinanceRest = 3,
  kRefPrice = 4,
  kGamma = 5,
  kCoinGecko = 6,
};

class RawFrameSink {
 public:
  virtual ~RawFrameSink() = default;
  virtual void on_raw_frame(FeedChannel channel, std::string_view bytes, std::int64_t recv_ns) noexcept = 0;
};

}  // namespace polybot::feed
