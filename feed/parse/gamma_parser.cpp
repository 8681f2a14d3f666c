#include "feed/parse/gamma_parser.hpp"

#include <utility>

namespace polybot::feed {

namespace dom = simdjson::dom;

namespace {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) noexcept {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

Err<GammaError> fail(std::string field, std::string message) { return Err{GammaError{std::move(field), std::move(message)}}; }

// A number or a numeric string as an exact fixed-point integer.
bool fixed_of(dom::element el, int decimals, std::int64_t& out) {
  std::string_view text;
  std::string buf;
  if (el.is_string()) {
    text = el.get_string().value_unsafe();
  } else if (el.is_number()) {
    buf = simdjson::minify(el);
    text = buf;
  } else {
    return false;
  }
  auto r = parse_decimal(text, decimals, false);
  if (!r) return false;
  out = *r;
  return true;
}

}  // namespace

bool parse_iso8601_utc(std::string_view s, std::int64_t& out_s) noexcept {
  int y, mo, d, h, mi, se;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, h) || s[13] != ':' ||
      !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, se)) {
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return false;
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  const std::string_view tz = s.substr(i);
  if (!(tz.empty() || tz == "Z" || tz == "+00" || tz == "+00:00" || tz == "+0000")) return false;
  out_s = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + se;
  return true;
}

Result<GammaMarket, GammaError> GammaParser::parse_market(std::string_view json) {
  dom::element root;
  if (dom_.parse(json.data(), json.size()).get(root)) return fail("json", "not valid JSON");
  dom::object obj;
  if (root.get_object().get(obj)) return fail("json", "a market must be a JSON object");
  GammaMarket m;
  const auto str = [&](const char* key, std::string& out) {
    std::string_view v;
    if (!obj[key].get_string().get(v)) out.assign(v);
  };
  const auto flag = [&](const char* key, bool& out) {
    bool v = false;
    if (!obj[key].get_bool().get(v)) out = v;
  };
  str("id", m.id);
  str("slug", m.slug);
  str("question", m.question);
  str("conditionId", m.condition_id);
  flag("negRisk", m.neg_risk);
  flag("active", m.active);
  flag("closed", m.closed);
  flag("acceptingOrders", m.accepting_orders);
  flag("enableOrderBook", m.enable_order_book);
  flag("feesEnabled", m.fees_enabled);
  if (m.slug.empty()) return fail("slug", "missing");

  // clobTokenIds / outcomes: JSON inside a string (or, defensively, a plain array).
  const auto pair = [&](const char* key, std::array<std::string, 2>& out) -> Result<Ok, GammaError> {
    dom::element el;
    if (obj[key].get(el)) return fail(key, "missing");
    dom::array arr;
    std::string inner_text;
    if (el.is_string()) {
      inner_text.assign(el.get_string().value_unsafe());
      dom::element inner;
      if (inner_.parse(inner_text).get(inner) || inner.get_array().get(arr)) {
        return fail(key, "\"" + inner_text.substr(0, 80) + "\" is not a JSON array");
      }
    } else if (el.get_array().get(arr)) {
      return fail(key, "neither a string nor an array");
    }
    std::size_t i = 0;
    for (dom::element x : arr) {
      std::string_view v;
      if (x.get_string().get(v)) return fail(key, "element is not a string");
      if (i < 2) out[i].assign(v);
      ++i;
    }
    if (i != 2) return fail(key, "expected 2 entries, got " + std::to_string(i));
    return Ok{};
  };
  if (auto r = pair("clobTokenIds", m.token_ids); !r) return Err{r.error()};
  if (auto r = pair("outcomes", m.outcomes); !r) return Err{r.error()};

  dom::element el;
  if (!obj["orderPriceMinTickSize"].get(el)) {
    std::int64_t raw = 0;
    if (!fixed_of(el, Price::kDecimals, raw) || raw <= 0) {
      return fail("orderPriceMinTickSize", simdjson::minify(el) + " is not a tick size");
    }
    m.tick = Price::from_raw(raw);
  }
  if (!obj["orderMinSize"].get(el)) {
    std::int64_t raw = 0;
    if (!fixed_of(el, Qty::kDecimals, raw)) return fail("orderMinSize", simdjson::minify(el) + " is not a size");
    m.min_order_size = Qty::from_raw(raw);
  }
  dom::object fees;
  if (!obj["feeSchedule"].get_object().get(fees)) {
    m.fees.present = true;
    if (!fees["rate"].get(el) && !fixed_of(el, 6, m.fees.rate_e6)) return fail("feeSchedule.rate", simdjson::minify(el));
    if (!fees["rebateRate"].get(el) && !fixed_of(el, 6, m.fees.rebate_rate_e6)) {
      return fail("feeSchedule.rebateRate", simdjson::minify(el));
    }
    std::int64_t e = 0;
    if (!fees["exponent"].get_int64().get(e)) m.fees.exponent = static_cast<std::int32_t>(e);
    bool t = false;
    if (!fees["takerOnly"].get_bool().get(t)) m.fees.taker_only = t;
  }
  dom::array events;
  std::string event_start;
  if (!obj["events"].get_array().get(events)) {
    for (dom::element ev : events) {
      std::string_view v;
      if (!ev["seriesSlug"].get_string().get(v)) m.series_slug.assign(v);
      if (!ev["startTime"].get_string().get(v)) event_start.assign(v);
      break;
    }
  }
  std::string_view start_text, end_text;
  if (obj["eventStartTime"].get_string().get(start_text)) start_text = event_start;
  if (!start_text.empty()) {
    if (!parse_iso8601_utc(start_text, m.start_s)) return fail("eventStartTime", std::string(start_text));
  } else {
    // btc-updown-5m-<start>: the slug carries the window open time.
    const auto dash = m.slug.rfind('-');
    auto r = parse_decimal(std::string_view(m.slug).substr(dash + 1), 0, false);
    if (dash == std::string::npos || !r) return fail("eventStartTime", "missing and the slug has no start time");
    m.start_s = *r;
  }
  if (obj["endDate"].get_string().get(end_text)) return fail("endDate", "missing");
  if (!parse_iso8601_utc(end_text, m.end_s)) return fail("endDate", "\"" + std::string(end_text) + "\" is not a UTC time");
  return m;
}

Result<std::vector<GammaMarket>, GammaError> GammaParser::parse_any(std::string_view json) {
  dom::parser outer;
  dom::element root;
  if (outer.parse(json.data(), json.size()).get(root)) return fail("json", "not valid JSON");
  std::vector<GammaMarket> out;
  const auto one = [&](dom::element el) -> Result<Ok, GammaError> {
    dom::array markets;
    if (el.is_object() && !el["markets"].get_array().get(markets)) {
      for (dom::element m : markets) {
        auto r = parse_market(simdjson::minify(m));
        if (!r) return Err{r.error()};
        out.push_back(std::move(*r));
      }
      return Ok{};
    }
    auto r = parse_market(simdjson::minify(el));
    if (!r) return Err{r.error()};
    out.push_back(std::move(*r));
    return Ok{};
  };
  dom::array arr;
  if (!root.get_array().get(arr)) {
    for (dom::element el : arr) {
      if (auto r = one(el); !r) return Err{r.error()};
    }
  } else if (auto r = one(root); !r) {
    return Err{r.error()};
  }
  return out;
}

}  // namespace polybot::feed
