#include "sim/market_data/window_catalog.hpp"

#include <simdjson.h>

#include <algorithm>

#include "core/fixed_point.hpp"
#include "feed/capture_reader.hpp"
#include "feed/gamma_discovery.hpp"
#include "feed/parse/polymarket_parser.hpp"

namespace polybot::sim {

namespace {

namespace dom = simdjson::dom;

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

// The value of a "key":"value" string field in compact JSON ("" when absent).
std::string field(const std::string& json, const std::string& key) {
  const std::string k = "\"" + key + "\":\"";
  const auto p = json.find(k);
  if (p == std::string::npos) return {};
  const auto q = json.find('"', p + k.size());
  return json.substr(p + k.size(), q - p - k.size());
}

void render_levels(std::string& s, const std::vector<SimLevel>& levels) {
  s += '[';
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (i) s += ',';
    s += R"({"price":")" + levels[i].price + R"(","size":")" + levels[i].size + "\"}";
  }
  s += ']';
}

std::int64_t raw_price(const std::string& p) { return Price::parse(p).value().raw; }

}  // namespace

Result<std::vector<SimWindow>, std::string> load_gamma_windows(const std::string& path) {
  auto file = feed::read_capture(path);
  if (!file) return Err{file.error()};
  std::vector<SimWindow> out;
  dom::parser parser;
  std::size_t line = 0;
  for (const auto& f : feed::split_capture(file->text)) {
    ++line;
    dom::element doc;
    if (parser.parse(f.json.data(), f.json.size()).get(doc)) return Err{path + ": line " + std::to_string(line) + " is not JSON"};
    dom::element raw;
    if (doc["raw"].get(raw)) continue;
    SimWindow w;
    w.gamma_json = simdjson::minify(raw);
    std::int64_t start = 0, end = 0;
    if (doc["start_sec"].get_int64().get(start) || doc["end_sec"].get_int64().get(end)) {
      return Err{path + ": line " + std::to_string(line) + ": start_sec/end_sec missing"};
    }
    w.start_s = start;
    w.end_s = end;
    w.interval_s = static_cast<std::uint32_t>(end - start);
    w.slug = field(w.gamma_json, "slug");
    w.condition_id = field(w.gamma_json, "conditionId");
    // The tick as its number token is written (0.001 in the 2026-06-08 capture), never through double.
    if (dom::element t; !raw["orderPriceMinTickSize"].get(t)) {
      const std::string tick = simdjson::minify(t);
      if (!Price::parse(tick)) {
        return Err{path + ": line " + std::to_string(line) + ": orderPriceMinTickSize " + tick + " is not a price"};
      }
      w.tick = tick;
    }
    dom::array ids;
    if (doc["token_ids"].get_array().get(ids)) return Err{path + ": line " + std::to_string(line) + ": token_ids missing"};
    std::size_t i = 0;
    for (dom::element id : ids) {
      std::string_view v;
      if (i < 2 && !id.get_string().get(v)) w.tokens[i] = std::string(v);
      ++i;
    }
    // The capture was taken after the day ended: make each market look as it did while it was live.
    replace_all(w.gamma_json, "\"closed\":true", "\"closed\":false");
    replace_all(w.gamma_json, "\"acceptingOrders\":false", "\"acceptingOrders\":true");
    out.push_back(std::move(w));
  }
  std::sort(out.begin(), out.end(), [](const SimWindow& a, const SimWindow& b) { return a.start_s < b.start_s; });
  return out;
}

SimWindow derive_15m(const SimWindow& base, const SimWindow& ids_from, std::int64_t start_s) {
  return retime(base, ids_from, 900, start_s);
}

SimWindow retime(const SimWindow& base, const SimWindow& ids_from, std::uint32_t interval_s, std::int64_t start_s) {
  SimWindow w = base;
  w.interval_s = interval_s;
  w.start_s = start_s;
  w.end_s = start_s + interval_s;
  w.slug = std::string("btc-updown-") + (interval_s == 900 ? "15m-" : "5m-") + std::to_string(start_s);
  w.condition_id = ids_from.condition_id;
  w.tokens = ids_from.tokens;
  std::string& j = w.gamma_json;
  replace_all(j, "\"slug\":\"" + base.slug + "\"", "\"slug\":\"" + w.slug + "\"");
  replace_all(j, "\"eventStartTime\":\"" + field(j, "eventStartTime") + "\"",
              "\"eventStartTime\":\"" + feed::iso8601_utc(w.start_s) + "\"");
  replace_all(j, "\"endDate\":\"" + field(j, "endDate") + "\"", "\"endDate\":\"" + feed::iso8601_utc(w.end_s) + "\"");
  replace_all(j, base.condition_id, w.condition_id);
  replace_all(j, base.tokens[0], w.tokens[0]);
  replace_all(j, base.tokens[1], w.tokens[1]);
  return w;
}

Result<SimBook, std::string> load_rest_book(const std::string& path) {
  auto file = feed::read_capture(path);
  if (!file) return Err{file.error()};
  dom::parser parser;
  dom::element doc;
  if (parser.parse(file->text).get(doc)) return Err{path + ": not JSON"};
  SimBook b;
  std::string_view v;
  if (!doc["market"].get_string().get(v)) b.market = std::string(v);
  if (!doc["asset_id"].get_string().get(v)) b.asset_id = std::string(v);
  if (!doc["timestamp"].get_string().get(v)) b.ts_ms = std::stoll(std::string(v));
  for (const char* side : {"bids", "asks"}) {
    dom::array arr;
    if (doc[side].get_array().get(arr)) return Err{path + ": " + side + " missing"};
    for (dom::element l : arr) {
      std::string_view p, s;
      if (l["price"].get_string().get(p) || l["size"].get_string().get(s)) return Err{path + ": bad level"};
      (side[0] == 'b' ? b.bids : b.asks).push_back(SimLevel{std::string(p), std::string(s)});
    }
  }
  return b;
}

SimBook complement(const SimBook& up) {
  SimBook d = up;
  const auto flip = [](const std::vector<SimLevel>& in) {
    std::vector<SimLevel> out;
    for (const auto& l : in) out.push_back(SimLevel{Price::from_raw(Price::kScale - raw_price(l.price)).to_string(), l.size});
    return out;
  };
  d.bids = flip(up.asks);
  d.asks = flip(up.bids);
  d.last_trade_price = Price::from_raw(Price::kScale - raw_price(up.last_trade_price)).to_string();
  return d;
}

SimBook variant(const SimBook& b, std::size_t k, const std::string& market, const std::string& asset, std::int64_t ts_ms) {
  SimBook v = b;
  v.market = market;
  v.asset_id = asset;
  v.ts_ms = ts_ms;
  const auto drop_best = [k](std::vector<SimLevel>& side, bool bids) {
    std::sort(side.begin(), side.end(), [bids](const SimLevel& a, const SimLevel& c) {
      return bids ? raw_price(a.price) > raw_price(c.price) : raw_price(a.price) < raw_price(c.price);
    });
    side.erase(side.begin(), side.begin() + static_cast<std::ptrdiff_t>(std::min(k, side.size() > 0 ? side.size() - 1 : 0)));
    // The venue sends the best level last.
    std::reverse(side.begin(), side.end());
  };
  drop_best(v.bids, true);
  drop_best(v.asks, false);
  return v;
}

std::string ws_book_frame(const SimBook& b) {
  std::string s = R"({"event_type":"book","asset_id":")" + b.asset_id + R"(","market":")" + b.market + R"(","bids":)";
  render_levels(s, b.bids);
  s += ",\"asks\":";
  render_levels(s, b.asks);
  s += R"(,"timestamp":")" + std::to_string(b.ts_ms) + R"(","hash":""})";
  return s;
}

std::string rest_book_body(const SimBook& b, bool tamper_hash) {
  const auto render = [&](const std::string& hash) {
    std::string s = R"({"market":")" + b.market + R"(","asset_id":")" + b.asset_id + R"(","timestamp":")" +
                    std::to_string(b.ts_ms) + R"(","hash":")" + hash + R"(","bids":)";
    render_levels(s, b.bids);
    s += ",\"asks\":";
    render_levels(s, b.asks);
    s += R"(,"min_order_size":")" + b.min_order_size + R"(","tick_size":")" + b.tick_size + R"(","neg_risk":)" +
         (b.neg_risk ? "true" : "false") + R"(,"last_trade_price":")" + b.last_trade_price + "\"}";
    return s;
  };
  std::string hash = feed::polymarket_book_hash(render(""));
  if (tamper_hash) hash[0] = hash[0] == '0' ? '1' : '0';
  return render(hash);
}

std::string best_bid(const SimBook& b) {
  std::int64_t best = -1;
  for (const auto& l : b.bids) best = std::max(best, raw_price(l.price));
  return best < 0 ? std::string{} : Price::from_raw(best).to_string();
}

std::string best_ask(const SimBook& b) {
  std::int64_t best = -1;
  for (const auto& l : b.asks) {
    const auto p = raw_price(l.price);
    if (best < 0 || p < best) best = p;
  }
  return best < 0 ? std::string{} : Price::from_raw(best).to_string();
}

}  // namespace polybot::sim
