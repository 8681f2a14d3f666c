#include "feed/coingecko/coingecko_parser.hpp"

#include <utility>

#include "core/decimal.hpp"
#include "core/int128.hpp"

namespace polybot::feed {

bool parse_usd_e8_truncating(std::string_view token, std::int64_t& out) noexcept {
  // Keep at most 8 fractional digits: CoinGecko's `precision=full` can send more, and a sanity reference does
  // not need them. Everything else (sign, exponent, stray characters) is left for parse_decimal to refuse.
  const std::size_t dot = token.find('.');
  if (dot != std::string_view::npos && token.size() - dot - 1 > 8) {
    const std::string_view dropped = token.substr(dot + 9);
    for (char c : dropped)
      if (c < '0' || c > '9') return false;
    token = token.substr(0, dot + 9);
  }
  auto r = parse_decimal(token, 8, false);
  if (!r) return false;
  out = *r;
  return true;
}

CoinGeckoParser::CoinGeckoParser(std::string coin, std::string currency)
    : coin_(std::move(coin)), currency_(std::move(currency)), input_(4096) {
  last_error_.reserve(256);
}

ParseStatus CoinGeckoParser::fail(ParseStatus s, std::string_view field, std::string_view value) noexcept {
  switch (s) {
    case ParseStatus::kMissingField: ++counters_.missing_field; break;
    case ParseStatus::kBadNumber: ++counters_.bad_number; break;
    default: ++counters_.malformed; break;
  }
  if (value.size() > 64) value = value.substr(0, 64);
  last_error_.assign("coingecko ");
  last_error_.append(field);
  last_error_.append(": ");
  last_error_.append(to_string(s));
  last_error_.append(" (");
  last_error_.append(value);
  last_error_.append(")");
  return s;
}

ParseStatus CoinGeckoParser::parse(std::string_view body, std::size_t readable_after, std::int64_t recv_ns,
                                   RefPrice& out) noexcept {
  namespace od = detail::od;
  od::document doc;
  const char* data = nullptr;
  if (!detail::start_document(parser_, input_, body, readable_after, doc, data))
    return fail(ParseStatus::kMalformed, "body", body);
  od::object root;
  if (doc.get_object().get(root)) return fail(ParseStatus::kMalformed, "body", body);

  std::string_view price_token, updated_token;
  bool have_coin = false;
  for (auto field : root) {
    od::field f;
    if (std::move(field).get(f)) return fail(ParseStatus::kMalformed, "body", body);
    std::string_view key;
    if (f.unescaped_key().get(key)) return fail(ParseStatus::kMalformed, "key", body);
    if (key != coin_) continue;  // e.g. other coins, or "status" in an error answer
    have_coin = true;
    od::object inner;
    if (f.value().get_object().get(inner)) return fail(ParseStatus::kMalformed, coin_, body);
    for (auto sub : inner) {
      od::field g;
      if (std::move(sub).get(g)) return fail(ParseStatus::kMalformed, coin_, body);
      std::string_view k;
      if (g.unescaped_key().get(k)) return fail(ParseStatus::kMalformed, coin_, body);
      od::value v = g.value();
      if (k == currency_) {
        price_token = detail::token(v);
      } else if (k == "last_updated_at") {
        updated_token = detail::token(v);
      }
    }
  }
  if (!have_coin) return fail(ParseStatus::kMissingField, coin_, body);
  if (price_token.empty()) return fail(ParseStatus::kMissingField, coin_ + "." + currency_, body);
  std::int64_t e8 = 0;
  if (!parse_usd_e8_truncating(price_token, e8) || e8 <= 0)
    return fail(ParseStatus::kBadNumber, coin_ + "." + currency_, price_token);
  std::int64_t updated_s = 0;
  if (updated_token.empty()) return fail(ParseStatus::kMissingField, coin_ + ".last_updated_at", body);
  {
    auto r = parse_decimal(updated_token, 0, false);
    // Seconds since the epoch; anything past year 2286 (1e10 s) is not a timestamp.
    if (!r || *r <= 0 || *r >= 10'000'000'000) return fail(ParseStatus::kBadNumber, coin_ + ".last_updated_at", updated_token);
    updated_s = *r;
  }
  out = RefPrice{};
  out.hdr.type = RefPrice::kType;
  out.hdr.ts_exch = updated_s * 1'000'000'000;
  out.hdr.ts_recv = recv_ns;
  out.value = UsdPrice::from_raw(e8);
  // The 18-decimal copy the Chainlink prices carry: exact, the token has at most 8 decimals kept.
  const u128 e18 = static_cast<u128>(e8) * 10'000'000'000ull;
  out.value_e18_hi = static_cast<std::uint64_t>(e18 >> 64);
  out.value_e18_lo = static_cast<std::uint64_t>(e18);
  out.feed_ts_ms = updated_s * 1000;
  out.venue = Venue::kCoinGecko;
  ++counters_.ok;
  return ParseStatus::kOk;
}

}  // namespace polybot::feed
