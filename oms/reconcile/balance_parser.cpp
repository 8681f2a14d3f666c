#include "oms/reconcile/balance_parser.hpp"

#include <cstring>

#include "oms/reconcile/venue_state_parser.hpp"

namespace polybot::oms {
namespace od = simdjson::ondemand;

namespace {
// The token as written: a string's contents, or a number's raw text (trailing separators trimmed).
bool text_of(od::value v, std::string_view* out, bool* is_string) noexcept {
  od::json_type t;
  if (v.type().get(t)) return false;
  *is_string = t == od::json_type::string;
  if (t == od::json_type::string) return !v.get_string().get(*out);
  if (t == od::json_type::number) {
    *out = number_text(v);
    return true;
  }
  *out = v.raw_json_token();
  return false;
}

bool all_digits(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool all_zero(std::string_view s) noexcept {
  for (char c : s)
    if (c != '0') return false;
  return true;
}
}  // namespace

const char* to_string(BalanceParseError e) noexcept {
  switch (e) {
    case BalanceParseError::kNone: return "ok";
    case BalanceParseError::kNotJson: return "not a JSON object";
    case BalanceParseError::kMissingBalance: return "missing";
    case BalanceParseError::kBadBalance: return "not a whole non-negative number of base units";
    case BalanceParseError::kOutOfRange: return "beyond 2^63-1 base units";
    case BalanceParseError::kBadAllowance: return "not a whole number of base units";
  }
  return "?";
}

BalanceParseError BalanceParser::fail(BalanceParseError e, std::string_view field, std::string_view value) noexcept {
  // field = "value": reason, the value cut to 40 characters.
  std::size_t n = 0;
  const auto put = [&](std::string_view s) {
    const std::size_t k = s.size() < sizeof(error_) - n ? s.size() : sizeof(error_) - n;
    std::memcpy(error_ + n, s.data(), k);
    n += k;
  };
  put(field);
  put(" = \"");
  put(value.size() > 40 ? value.substr(0, 40) : value);
  put(value.size() > 40 ? "...\": " : "\": ");
  put(to_string(e));
  error_len_ = n;
  return e;
}

BalanceParseError BalanceParser::parse(std::string_view body, BalanceAnswer* out) noexcept {
  *out = BalanceAnswer{};
  error_len_ = 0;
  if (copy_.size() < body.size()) copy_ = simdjson::padded_string(body.size() + 1024);
  std::memcpy(copy_.data(), body.data(), body.size());
  od::document doc;
  od::object root;
  if (parser_.iterate(copy_.data(), body.size(), copy_.size()).get(doc) || doc.get_object().get(root))
    return fail(BalanceParseError::kNotJson, "body", body);
  bool have_balance = false;
  for (auto field : root) {
    std::string_view key, txt;
    od::value v;
    bool is_string = false;
    if (field.unescaped_key().get(key) || field.value().get(v)) return fail(BalanceParseError::kNotJson, "body", body);
    if (key == "balance") {
      if (!text_of(v, &txt, &is_string) || !all_digits(txt)) return fail(BalanceParseError::kBadBalance, "balance", txt);
      std::size_t i = 0;
      while (i + 1 < txt.size() && txt[i] == '0') ++i;  // leading zeros
      const std::string_view d = txt.substr(i);
      constexpr std::string_view kMax = "9223372036854775807";
      if (d.size() > kMax.size() || (d.size() == kMax.size() && d > kMax))
        return fail(BalanceParseError::kOutOfRange, "balance", txt);
      std::int64_t b = 0;
      for (char c : d) b = b * 10 + (c - '0');
      out->balance = b;
      have_balance = true;
    } else if (key == "allowance") {  // legacy single allowance
      if (!text_of(v, &txt, &is_string) || !all_digits(txt))
        return fail(BalanceParseError::kBadAllowance, "allowance", txt);
      out->allowance_seen = true;
      out->allowance_zero = out->allowance_zero && all_zero(txt);
    } else if (key == "allowances") {
      od::object m;
      if (v.get_object().get(m)) return fail(BalanceParseError::kBadAllowance, "allowances", v.raw_json_token());
      for (auto a : m) {
        std::string_view spender;
        od::value av;
        if (a.unescaped_key().get(spender) || a.value().get(av))
          return fail(BalanceParseError::kNotJson, "allowances", "");
        if (!text_of(av, &txt, &is_string) || !all_digits(txt))
          return fail(BalanceParseError::kBadAllowance, "allowances", txt);
        out->allowance_seen = true;
        out->allowance_zero = out->allowance_zero && all_zero(txt);
      }
    }
  }
  if (!have_balance) return fail(BalanceParseError::kMissingBalance, "balance", "");
  return BalanceParseError::kNone;
}

}  // namespace polybot::oms
