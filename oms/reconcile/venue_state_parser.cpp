#include "oms/reconcile/venue_state_parser.hpp"

#include <cstring>

namespace polybot::oms {
namespace od = simdjson::ondemand;

namespace {
bool str_of(od::value v, std::string_view* out) noexcept {
  od::json_type t;
  if (v.type().get(t)) return false;
  if (t == od::json_type::string) return !v.get_string().get(*out);
  if (t == od::json_type::null) {
    *out = {};
    return true;
  }
  if (t == od::json_type::number) {
    *out = number_text(v);
    return true;
  }
  return false;
}
template <class Fx>
bool fx(std::string_view s, Fx* out) noexcept {
  if (s.empty()) {
    *out = Fx{};
    return true;
  }
  auto r = Fx::parse(s);
  if (!r) return false;
  *out = *r;
  return true;
}
}  // namespace

bool VenueStateParser::load(std::string_view body) noexcept {
  if (copy_.size() < body.size()) copy_ = simdjson::padded_string(body.size() + 4096);
  std::memcpy(copy_.data(), body.data(), body.size());
  len_ = body.size();
  return true;
}

RestParseStatus VenueStateParser::parse_orders(std::string_view body, VenueOpenOrderSink& sink,
                                               std::string_view* next_cursor) noexcept {
  if (next_cursor != nullptr) *next_cursor = {};
  load(body);
  od::document doc;
  if (parser_.iterate(copy_.data(), len_, copy_.size()).get(doc)) return RestParseStatus::kMalformed;
  auto on_array = [&](od::array arr) -> bool {
    for (auto elem : arr) {
      od::object o;
      if (elem.get_object().get(o)) return false;
      VenueOpenOrder vo;
      bool id_ok = false;
      for (auto field : o) {
        std::string_view key, txt;
        od::value v;
        if (field.unescaped_key().get(key) || field.value().get(v)) return false;
        if (!str_of(v, &txt)) continue;
        if (key == "id") id_ok = parse_digest_hex(txt, &vo.id);
        else if (key == "status") vo.status = txt;
        else if (key == "asset_id") vo.asset_id = txt;
        else if (key == "market") vo.market = txt;
        else if (key == "side") vo.side = iequals(txt, "SELL") ? ::polybot::Side::kSell : ::polybot::Side::kBuy;
        else if (key == "price") { if (!fx(txt, &vo.price)) return false; }
        else if (key == "original_size") { if (!fx(txt, &vo.original_size)) return false; }
        else if (key == "size_matched") { if (!fx(txt, &vo.size_matched)) return false; }
      }
      if (!id_ok) return false;
      sink.on_open_order(vo);
    }
    return true;
  };
  od::json_type t;
  if (doc.type().get(t)) return RestParseStatus::kMalformed;
  if (t == od::json_type::array) {
    od::array arr;
    if (doc.get_array().get(arr) || !on_array(arr)) return RestParseStatus::kMalformed;
    return RestParseStatus::kOk;
  }
  od::object root;
  if (doc.get_object().get(root)) return RestParseStatus::kMalformed;
  for (auto field : root) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) || field.value().get(v)) return RestParseStatus::kMalformed;
    if (key == "data") {
      od::array arr;
      if (v.is_null()) continue;
      if (v.get_array().get(arr) || !on_array(arr)) return RestParseStatus::kMalformed;
    } else if (key == "next_cursor" && next_cursor != nullptr) {
      std::string_view c;
      if (str_of(v, &c) && c.size() < sizeof(cursor_)) {
        std::memcpy(cursor_, c.data(), c.size());
        *next_cursor = std::string_view(cursor_, c.size());
      }
    }
  }
  return RestParseStatus::kOk;
}

RestParseStatus VenueStateParser::parse_trades(std::string_view body, UserEventSink& sink,
                                               std::string_view* next_cursor) noexcept {
  if (next_cursor != nullptr) *next_cursor = {};
  // Each element is a trade object without event_type: find the "data" array's elements' raw text and feed them
  // to the user-channel decoder with the event type added. Simpler and exact: wrap each element.
  load(body);
  od::document doc;
  if (parser_.iterate(copy_.data(), len_, copy_.size()).get(doc)) return RestParseStatus::kMalformed;
  auto feed = [&](std::string_view raw) -> bool {
    // {"event_type":"trade", + rest of the object after '{'
    constexpr std::string_view head = R"({"event_type":"trade",)";
    if (raw.size() < 2 || raw.front() != '{' || head.size() + raw.size() > sizeof(wrap_) - simdjson::SIMDJSON_PADDING)
      return false;
    std::memcpy(wrap_, head.data(), head.size());
    std::memcpy(wrap_ + head.size(), raw.data() + 1, raw.size() - 1);
    const std::size_t n = head.size() + raw.size() - 1;
    std::memset(wrap_ + n, 0, simdjson::SIMDJSON_PADDING);
    return trade_parser_.parse(std::string_view(wrap_, n), sink) == UserParseStatus::kOk;
  };
  auto on_array = [&](od::array arr) -> bool {
    for (auto elem : arr) {
      std::string_view raw;
      od::object o;
      if (elem.get_object().get(o) || o.raw_json().get(raw)) return false;
      while (!raw.empty() && raw.back() != '}') raw.remove_suffix(1);
      if (!feed(raw)) return false;
    }
    return true;
  };
  od::json_type t;
  if (doc.type().get(t)) return RestParseStatus::kMalformed;
  if (t == od::json_type::array) {
    od::array arr;
    if (doc.get_array().get(arr) || !on_array(arr)) return RestParseStatus::kMalformed;
    return RestParseStatus::kOk;
  }
  od::object root;
  if (doc.get_object().get(root)) return RestParseStatus::kMalformed;
  for (auto field : root) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) || field.value().get(v)) return RestParseStatus::kMalformed;
    if (key == "data") {
      od::array arr;
      if (v.is_null()) continue;
      if (v.get_array().get(arr) || !on_array(arr)) return RestParseStatus::kMalformed;
    } else if (key == "next_cursor" && next_cursor != nullptr) {
      std::string_view c;
      if (str_of(v, &c) && c.size() < sizeof(cursor_)) {
        std::memcpy(cursor_, c.data(), c.size());
        *next_cursor = std::string_view(cursor_, c.size());
      }
    }
  }
  return RestParseStatus::kOk;
}

}  // namespace polybot::oms
