#include "sim/backtest/market_list.hpp"

#include <simdjson.h>

#include "core/decimal.hpp"
#include "sim/backtest/data_file.hpp"

namespace polybot::sim::backtest {

namespace {

namespace od = simdjson::ondemand;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t' ||
                        s.back() == ',' || s.back() == '}' || s.back() == ']')) {
    s.remove_suffix(1);
  }
  return s;
}

// The text of a JSON number or string value, so decimals parse exactly (never through double).
bool number_text(od::value v, std::string& out) {
  od::json_type t;
  if (v.type().get(t)) return false;
  if (t == od::json_type::string) {
    std::string_view s;
    if (v.get_string().get(s)) return false;
    out = std::string(s);
    return true;
  }
  if (t != od::json_type::number) return false;
  out = std::string(trim(v.raw_json_token()));
  return true;
}

// "[\"a\", \"b\"]" (Gamma's JSON-in-a-string) or a real array: the first two strings.
bool string_pair(od::value v, std::string& a, std::string& b) {
  od::json_type t;
  if (v.type().get(t)) return false;
  std::vector<std::string> items;
  if (t == od::json_type::array) {
    od::array arr;
    if (v.get_array().get(arr)) return false;
    for (auto el : arr) {
      std::string_view s;
      if (el.get_string().get(s)) return false;
      items.emplace_back(s);
    }
  } else {
    return false;
  }
  if (items.size() != 2) return false;
  a = items[0];
  b = items[1];
  return true;
}

MarketListError field_error(std::size_t line, const char* field, std::string_view detail) {
  return MarketListError{line, std::string("field ") + field + ": " + std::string(detail)};
}

}  // namespace

Result<std::vector<MarketWindow>, MarketListError> parse_market_list(std::string_view jsonl) {
  std::vector<MarketWindow> out;
  od::parser parser;
  std::size_t pos = 0;
  std::size_t line_no = 0;
  while (pos < jsonl.size()) {
    std::size_t nl = jsonl.find('\n', pos);
    if (nl == std::string_view::npos) nl = jsonl.size();
    const std::string_view line = jsonl.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    simdjson::padded_string padded(line);
    od::document doc;
    if (parser.iterate(padded).get(doc)) return Err{MarketListError{line_no, "not JSON"}};
    od::object obj;
    if (doc.get_object().get(obj)) return Err{MarketListError{line_no, "not a JSON object"}};
    MarketWindow m;
    std::string_view sv;
    std::int64_t iv = 0;
    if (obj["slug"].get_string().get(sv)) return Err{field_error(line_no, "slug", "missing or not a string")};
    m.slug = std::string(sv);
    if (!obj["condition_id"].get_string().get(sv)) m.condition_id = std::string(sv);
    {
      od::value tv;
      if (obj["token_ids"].get(tv) || !string_pair(tv, m.up_token, m.down_token)) {
        return Err{field_error(line_no, "token_ids", "missing or not a pair of strings")};
      }
    }
    if (obj["start_sec"].get_int64().get(m.start_s)) return Err{field_error(line_no, "start_sec", "missing or not an integer")};
    if (obj["end_sec"].get_int64().get(m.end_s)) return Err{field_error(line_no, "end_sec", "missing or not an integer")};
    if (m.end_s <= m.start_s) return Err{field_error(line_no, "end_sec", std::to_string(m.end_s) + " <= start_sec")};
    m.interval_s = obj["interval_sec"].get_int64().get(iv) ? m.end_s - m.start_s : iv;
    bool b = false;
    if (!obj["resolved"].get_bool().get(b)) m.resolved = b;
    {
      od::value ov;
      std::string a, c;
      if (!obj["outcome_prices"].get(ov) && string_pair(ov, a, c)) {
        if (a == "1" && c == "0") m.venue_outcome = Outcome::kUp;
        if (a == "0" && c == "1") m.venue_outcome = Outcome::kDown;
      }
    }
    {
      od::value sv2;
      if (!obj["strike_value"].get(sv2)) {
        bool is_null = false;
        if (!sv2.is_null().get(is_null) && !is_null) {
          std::string text;
          if (!number_text(sv2, text)) return Err{field_error(line_no, "strike_value", "not a string or number")};
          const auto e = parse_e18_integer(text);
          if (!e) return Err{field_error(line_no, "strike_value", "\"" + text + "\" is not an integer ×1e18")};
          m.strike = *e;
        }
      }
    }
    od::object raw;
    if (!obj["raw"].get_object().get(raw)) {
      if (!raw["question"].get_string().get(sv)) m.question = std::string(sv);
      bool fees_enabled = true;
      if (!raw["feesEnabled"].get_bool().get(fees_enabled)) m.fee.enabled = fees_enabled;
      od::object fs;
      if (!raw["feeSchedule"].get_object().get(fs)) {
        od::value rv;
        std::string text;
        if (fs["rate"].get(rv) || !number_text(rv, text)) {
          return Err{field_error(line_no, "raw.feeSchedule.rate", "missing or not a number")};
        }
        const auto rate = parse_decimal(text, 6, false);
        if (!rate) return Err{field_error(line_no, "raw.feeSchedule.rate", "\"" + text + "\" is not a decimal with <= 6 places")};
        m.fee.rate_e6 = *rate;
        std::int64_t ex = 1;
        if (fs["exponent"].get_int64().get(ex) || ex < 0 || ex > 4) {
          return Err{field_error(line_no, "raw.feeSchedule.exponent", "missing or not an integer in [0, 4]")};
        }
        m.fee.exponent = static_cast<int>(ex);
        bool taker_only = true;
        if (!fs["takerOnly"].get_bool().get(taker_only)) m.fee.taker_only = taker_only;
        m.fee.known = true;
      }
      od::value tv;
      std::string text;
      if (!raw["orderPriceMinTickSize"].get(tv) && number_text(tv, text)) {
        const auto t = Price::parse(text);
        if (!t || t->raw <= 0) return Err{field_error(line_no, "raw.orderPriceMinTickSize", "\"" + text + "\" is not a tick size")};
        m.tick = *t;
      }
      if (!raw["orderMinSize"].get(tv) && number_text(tv, text)) {
        const auto q = Qty::parse(text);
        if (!q || q->raw < 0) return Err{field_error(line_no, "raw.orderMinSize", "\"" + text + "\" is not a size")};
        m.min_size = *q;
      }
    }
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<MarketWindow>, MarketListError> read_market_list(const std::string& path) {
  auto text = read_data_file(path);
  if (!text) return Err{MarketListError{0, text.error().message}};
  auto r = parse_market_list(*text);
  if (!r) return Err{MarketListError{r.error().line, path + ":" + std::to_string(r.error().line) + ": " + r.error().message}};
  return r;
}

}  // namespace polybot::sim::backtest
