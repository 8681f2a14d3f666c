#include "sim/backtest/polymarket_book_jsonl.hpp"

#include <simdjson.h>

namespace polybot::sim::backtest {

namespace {

namespace od = simdjson::ondemand;

std::string err(std::size_t line, const std::string& what) { return "line " + std::to_string(line) + ": " + what; }

bool get_ms(od::object& o, const char* key, std::int64_t& out) {
  od::value v;
  if (o[key].get(v)) return false;
  std::int64_t i = 0;
  if (!v.get_int64().get(i)) {
    out = i;
    return true;
  }
  std::string_view s;  // some collectors write times as strings
  if (v.get_string().get(s)) return false;
  i = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    i = i * 10 + (c - '0');
  }
  out = i;
  return !s.empty();
}

template <class F>
bool get_fixed(od::object& o, const char* key, F& out) {
  std::string_view s;
  if (o[key].get_string().get(s)) return false;
  auto r = F::parse(s);
  if (!r) return false;
  out = *r;
  return true;
}

bool side_of(std::string_view s, Side& out) {
  if (s == "BUY" || s == "buy" || s == "BID" || s == "bid") {
    out = Side::kBuy;
    return true;
  }
  if (s == "SELL" || s == "sell" || s == "ASK" || s == "ask") {
    out = Side::kSell;
    return true;
  }
  return false;
}

}  // namespace

Result<std::vector<PolyBookEvent>, std::string> parse_polymarket_book_jsonl(std::string_view jsonl, PolyBookFileKind kind) {
  std::vector<PolyBookEvent> out;
  od::parser parser;
  std::size_t pos = 0, line_no = 0;
  while (pos < jsonl.size()) {
    std::size_t nl = jsonl.find('\n', pos);
    if (nl == std::string_view::npos) nl = jsonl.size();
    const std::string_view line = jsonl.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    simdjson::padded_string padded(line);
    od::document doc;
    od::object obj;
    if (parser.iterate(padded).get(doc) || doc.get_object().get(obj)) return Err{err(line_no, "not a JSON object")};
    std::int64_t recv = 0, event = 0;
    if (!get_ms(obj, "recv_ms", recv)) return Err{err(line_no, "field recv_ms missing or not an integer")};
    get_ms(obj, "event_ts_ms", event);
    std::string top_asset;
    std::string_view sv;
    if (!obj["asset_id"].get_string().get(sv)) top_asset = std::string(sv);
    od::object payload;
    if (obj["payload"].get_object().get(payload)) return Err{err(line_no, "field payload missing or not an object")};
    if (kind == PolyBookFileKind::kBook) {
      PolyBookEvent e;
      e.kind = PolyBookEvent::Kind::kSnapshot;
      e.recv_ms = recv;
      e.event_ms = event;
      e.asset_id = top_asset;
      if (e.asset_id.empty() && !payload["asset_id"].get_string().get(sv)) e.asset_id = std::string(sv);
      if (e.asset_id.empty()) return Err{err(line_no, "field asset_id missing")};
      for (const char* key : {"bids", "asks"}) {
        od::array arr;
        if (payload[key].get_array().get(arr)) return Err{err(line_no, std::string("field payload.") + key + " missing")};
        for (auto el : arr) {
          od::object lvl;
          if (el.get_object().get(lvl)) return Err{err(line_no, std::string("payload.") + key + ": level is not an object")};
          BookLevelUpdate u;
          u.side = key[0] == 'b' ? Side::kBuy : Side::kSell;
          if (!get_fixed(lvl, "price", u.price) || !get_fixed(lvl, "size", u.size)) {
            return Err{err(line_no, std::string("payload.") + key + ": price/size missing or not a decimal string")};
          }
          e.levels.push_back(u);
        }
      }
      out.push_back(std::move(e));
    } else if (kind == PolyBookFileKind::kPriceChange) {
      od::array arr;
      if (payload["price_changes"].get_array().get(arr)) return Err{err(line_no, "field payload.price_changes missing")};
      std::vector<PolyBookEvent> per_asset;
      for (auto el : arr) {
        od::object ch;
        if (el.get_object().get(ch)) return Err{err(line_no, "payload.price_changes: entry is not an object")};
        std::string asset = top_asset;
        if (!ch["asset_id"].get_string().get(sv)) asset = std::string(sv);
        BookLevelUpdate u;
        std::string_view side;
        if (ch["side"].get_string().get(side) || !side_of(side, u.side)) {
          return Err{err(line_no, "payload.price_changes: side missing or not BUY/SELL")};
        }
        if (!get_fixed(ch, "price", u.price) || !get_fixed(ch, "size", u.size)) {
          return Err{err(line_no, "payload.price_changes: price/size missing or not a decimal string")};
        }
        PolyBookEvent* e = nullptr;
        for (auto& p : per_asset) {
          if (p.asset_id == asset) e = &p;
        }
        if (e == nullptr) {
          per_asset.emplace_back();
          e = &per_asset.back();
          e->kind = PolyBookEvent::Kind::kDelta;
          e->recv_ms = recv;
          e->event_ms = event;
          e->asset_id = asset;
        }
        e->levels.push_back(u);
      }
      for (auto& e : per_asset) out.push_back(std::move(e));
    } else {
      PolyBookEvent e;
      e.kind = PolyBookEvent::Kind::kTrade;
      e.recv_ms = recv;
      e.asset_id = top_asset;
      if (!payload["asset_id"].get_string().get(sv)) e.asset_id = std::string(sv);
      if (!get_fixed(payload, "price", e.trade_price) || !get_fixed(payload, "size", e.trade_size)) {
        return Err{err(line_no, "payload.price/size missing or not a decimal string")};
      }
      std::string_view side;
      if (!payload["side"].get_string().get(side)) side_of(side, e.aggressor);
      get_ms(payload, "timestamp", e.event_ms);
      out.push_back(std::move(e));
    }
  }
  return out;
}

}  // namespace polybot::sim::backtest
