// BalanceParser: GET /balance-allowance answers (protocol notes §6.5) -> the balance in base units (1e-6 pUSD for
// COLLATERAL, 1e-6 shares for CONDITIONAL). `balance` is a string of decimal digits (a JSON integer is accepted);
// `allowances` (a map of spender -> amount) or the legacy single `allowance` string are both accepted and checked
// for shape. A refusal names the field and the value it saw (error_text()), for the oms's counters and logs.
// One parser per owner, the oms thread; allocates only when a body is larger than any seen before (padding copy).
#pragma once

#include <cstdint>
#include <string_view>

#include <simdjson.h>

namespace polybot::oms {

struct BalanceAnswer {
  std::int64_t balance = 0;      // base units
  bool allowance_seen = false;   // `allowances` map or legacy `allowance`
  bool allowance_zero = true;    // every allowance given is 0 (orders would be refused on chain)
};

enum class BalanceParseError : std::uint8_t {
  kNone = 0,
  kNotJson = 1,         // not a JSON object
  kMissingBalance = 2,  // no `balance` field
  kBadBalance = 3,      // `balance` not a whole non-negative number of base units
  kOutOfRange = 4,      // `balance` beyond 2^63 - 1 base units
  kBadAllowance = 5,    // `allowance` / an `allowances` value not a whole number, or `allowances` not a map
};

class BalanceParser {
 public:
  // kNone and *out filled, or the reason (error_text() then names the field and value).
  BalanceParseError parse(std::string_view body, BalanceAnswer* out) noexcept;
  // "balance = \"12.5\": not a whole number of base units" (valid until the next parse).
  [[nodiscard]] std::string_view error_text() const noexcept { return {error_, error_len_}; }

 private:
  BalanceParseError fail(BalanceParseError e, std::string_view field, std::string_view value) noexcept;
  simdjson::ondemand::parser parser_;
  simdjson::padded_string copy_;
  char error_[160]{};
  std::size_t error_len_ = 0;
};

[[nodiscard]] const char* to_string(BalanceParseError e) noexcept;

}  // namespace polybot::oms
