// CoinGeckoParser: the answer of CoinGecko's `GET /api/v3/simple/price?ids=<coin>&vs_currencies=<fiat>&
// include_last_updated_at=true` (protocol notes §15), e.g. {"bitcoin":{"usd":67187.34,"last_updated_at":1711356300}},
// -> one RefPrice (venue kCoinGecko). The price is read from the JSON number token as written, truncated toward
// zero to 1e-8, never through double. A slow sanity reference only: nothing latency-sensitive reads it.
// One per thread (the feed thread), reused; never throws; allocates only when a body outgrows every earlier one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "core/msg/market_event.hpp"
#include "feed/parse/json_support.hpp"
#include "feed/parse/parse_status.hpp"

namespace polybot::feed {

struct CoinGeckoParseCounters {
  std::uint64_t ok = 0;
  std::uint64_t malformed = 0;       // not JSON, or not an object of objects
  std::uint64_t missing_field = 0;   // the coin, the currency or last_updated_at absent (e.g. an error object)
  std::uint64_t bad_number = 0;      // a price that is not a plain non-negative decimal, or does not fit
};

class CoinGeckoParser {
 public:
  // `coin` (e.g. "bitcoin") and `currency` (e.g. "usd") are the ids the request asked for.
  CoinGeckoParser(std::string coin, std::string currency);

  // `readable_after`: bytes readable past the body (the HTTP client guarantees net::kFramePadding); fewer than
  // simdjson's padding and the body is copied first. On kOk, `out` is complete except hdr.seq.
  ParseStatus parse(std::string_view body, std::size_t readable_after, std::int64_t recv_ns, RefPrice& out) noexcept;

  // The first problem of the last failed parse, naming the field and the value (for the operator, not a hot path).
  [[nodiscard]] const std::string& last_error() const noexcept { return last_error_; }
  [[nodiscard]] const CoinGeckoParseCounters& counters() const noexcept { return counters_; }

 private:
  ParseStatus fail(ParseStatus s, std::string_view field, std::string_view value) noexcept;

  std::string coin_, currency_;
  detail::PaddedBuffer input_;
  simdjson::ondemand::parser parser_;
  CoinGeckoParseCounters counters_;
  std::string last_error_;
};

// A non-negative JSON number token ("67187.34", "67187", "6.7e4" is refused) in units of 1e-8, digits past the
// eighth decimal dropped (toward zero). False when it is not such a number or does not fit.
bool parse_usd_e8_truncating(std::string_view token, std::int64_t& out) noexcept;

}  // namespace polybot::feed
