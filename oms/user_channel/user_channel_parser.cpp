#include "oms/user_channel/user_channel_parser.hpp"

#include <cstring>

namespace polybot::oms {
namespace od = simdjson::ondemand;

namespace {

int hex_val(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The text of a scalar: a string's contents, a number's digits, empty for null. False if not a scalar.
bool text_of(od::value v, std::string_view* out) noexcept {
  od::json_type t;
  if (v.type().get(t)) return false;
  switch (t) {
    case od::json_type::string:
      return !v.get_string().get(*out);
    case od::json_type::number:
    case od::json_type::boolean:
      *out = v.raw_json_token();
      while (!out->empty() && (out->back() == ' ' || out->back() == '\n' || out->back() == '\r' ||
                               out->back() == '\t' || out->back() == ',' || out->back() == '}' || out->back() == ']'))
        out->remove_suffix(1);
      return true;
    case od::json_type::null:
      *out = {};
      return true;
    default:
      return false;
  }
}

// Decimal text to fixed point; empty text is zero (the venue sends "" for size_matched, fee_rate_bps, ...).
template <class Fx>
bool fixed_of(std::string_view s, Fx* out) noexcept {
  if (s.empty()) {
    *out = Fx{};
    return true;
  }
  auto r = Fx::parse(s);
  if (!r) return false;
  *out = *r;
  return true;
}

bool int_of(std::string_view s, std::int64_t* out) noexcept {
  if (s.empty()) {
    *out = 0;
    return true;
  }
  std::int64_t v = 0;
  for (char c : s) {
    if (c == '.') break;  // "1725842520.0": whole part
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

bool side_of(std::string_view s, ::polybot::Side* out) noexcept {
  if (iequals(s, "BUY")) *out = ::polybot::Side::kBuy;
  else if (iequals(s, "SELL")) *out = ::polybot::Side::kSell;
  else return false;
  return true;
}

UserOrderType order_type_of(std::string_view s) noexcept {
  if (s == "PLACEMENT") return UserOrderType::kPlacement;
  if (s == "UPDATE") return UserOrderType::kUpdate;
  if (s == "CANCELLATION") return UserOrderType::kCancellation;
  return UserOrderType::kOther;
}

UserOrderStatus order_status_of(std::string_view s) noexcept {
  if (iequals(s, "LIVE")) return UserOrderStatus::kLive;
  if (iequals(s, "MATCHED")) return UserOrderStatus::kMatched;
  // FOK kills carry a free-form suffix: "CANCELED_order couldn't be fully filled. ..."
  if (s.size() >= 8 && iequals(s.substr(0, 8), "CANCELED")) return UserOrderStatus::kCanceled;
  if (s.size() >= 9 && iequals(s.substr(0, 9), "CANCELLED")) return UserOrderStatus::kCanceled;
  if (iequals(s, "INVALID")) return UserOrderStatus::kInvalid;
  return UserOrderStatus::kOther;
}

bool parse_maker(od::object obj, UserMakerOrder* m) noexcept {
  *m = UserMakerOrder{};
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return false;
    std::string_view txt;
    od::value v;
    if (field.value().get(v)) return false;
    if (key == "order_id") {
      if (!text_of(v, &txt)) return false;
      m->order_id_valid = parse_digest_hex(txt, &m->order_id);
    } else if (key == "owner") {
      if (!text_of(v, &m->owner)) return false;
    } else if (key == "maker_address") {
      if (!text_of(v, &m->maker_address)) return false;
    } else if (key == "asset_id") {
      if (!text_of(v, &m->asset_id)) return false;
    } else if (key == "outcome") {
      if (!text_of(v, &m->outcome)) return false;
    } else if (key == "price") {
      if (!text_of(v, &txt) || !fixed_of(txt, &m->price)) return false;
    } else if (key == "matched_amount") {
      if (!text_of(v, &txt) || !fixed_of(txt, &m->matched_amount)) return false;
    }
  }
  return true;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool parse_digest_hex(std::string_view s, OrderDigest* out) noexcept {
  if (s.size() == 66 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  if (s.size() != 64) return false;
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = hex_val(s[2 * i]);
    const int lo = hex_val(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    (*out)[i] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  return true;
}

TradeStatus parse_trade_status(std::string_view s) noexcept {
  if (iequals(s, "MATCHED")) return TradeStatus::kMatched;
  if (iequals(s, "MINED")) return TradeStatus::kMined;
  if (iequals(s, "CONFIRMED")) return TradeStatus::kConfirmed;
  if (iequals(s, "RETRYING")) return TradeStatus::kRetrying;
  if (iequals(s, "FAILED")) return TradeStatus::kFailed;
  return TradeStatus::kNone;
}

UserParseStatus UserChannelParser::parse_copy(std::string_view frame, UserEventSink& sink) noexcept {
  if (copy_.size() < frame.size()) copy_ = simdjson::padded_string(frame.size() + 1024);
  std::memcpy(copy_.data(), frame.data(), frame.size());
  return parse(std::string_view(copy_.data(), frame.size()), sink);
}

UserParseStatus UserChannelParser::parse(std::string_view frame, UserEventSink& sink) noexcept {
  std::size_t i = 0;
  while (i < frame.size() && (frame[i] == ' ' || frame[i] == '\n' || frame[i] == '\r' || frame[i] == '\t')) ++i;
  if (i == frame.size() || (frame[i] != '{' && frame[i] != '[')) return UserParseStatus::kControl;
  od::document doc;
  if (parser_.iterate(frame.data(), frame.size(), frame.size() + simdjson::SIMDJSON_PADDING).get(doc)) {
    ++malformed_;
    return UserParseStatus::kMalformed;
  }
  UserParseStatus result = UserParseStatus::kIgnored;
  auto merge = [&](UserParseStatus s) {
    if (s == UserParseStatus::kMalformed) result = s;
    else if (s == UserParseStatus::kOk && result != UserParseStatus::kMalformed) result = s;
  };
  if (frame[i] == '[') {
    od::array arr;
    if (doc.get_array().get(arr)) {
      ++malformed_;
      return UserParseStatus::kMalformed;
    }
    for (auto elem : arr) {
      od::object obj;
      if (elem.get_object().get(obj)) {
        merge(UserParseStatus::kMalformed);
        break;
      }
      merge(parse_object(obj, sink));
    }
  } else {
    od::object obj;
    if (doc.get_object().get(obj)) {
      ++malformed_;
      return UserParseStatus::kMalformed;
    }
    merge(parse_object(obj, sink));
  }
  if (result == UserParseStatus::kMalformed) ++malformed_;
  return result;
}

UserParseStatus UserChannelParser::parse_object(od::object obj, UserEventSink& sink) noexcept {
  // One pass over the fields in any order, filling both candidate structs; event_type decides which is used.
  order_ = UserOrderEvent{};
  trade_.trade_id = {};
  trade_.taker_order_id_valid = false;
  trade_.status = TradeStatus::kNone;
  trade_.trader_side = TraderSide::kUnknown;
  trade_.price = Price{};
  trade_.size = Qty{};
  trade_.match_time_s = 0;
  trade_.timestamp_ms = 0;
  trade_.owner = trade_.market = trade_.asset_id = trade_.maker_address = {};
  trade_.maker_count = 0;
  trade_.makers_truncated = false;

  std::string_view event_type;
  bool bad = false;
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) || field.value().get(v)) return UserParseStatus::kMalformed;
    std::string_view txt;
    if (key == "maker_orders") {
      od::array arr;
      if (v.is_null()) continue;
      if (v.get_array().get(arr)) return UserParseStatus::kMalformed;
      for (auto elem : arr) {
        od::object mo;
        if (elem.get_object().get(mo)) return UserParseStatus::kMalformed;
        if (trade_.maker_count == UserTradeEvent::kMaxMakers) {
          trade_.makers_truncated = true;
          continue;  // on-demand skips the unread object
        }
        if (!parse_maker(mo, &trade_.makers[trade_.maker_count])) return UserParseStatus::kMalformed;
        ++trade_.maker_count;
      }
      continue;
    }
    if (key == "associate_trades") continue;  // array or null; not needed (trade events carry the fills)
    if (!text_of(v, &txt)) continue;           // unknown non-scalar fields are skipped
    if (key == "event_type") {
      event_type = txt;
    } else if (key == "type") {
      order_.type = order_type_of(txt);
    } else if (key == "id") {
      trade_.trade_id = txt;
      order_.id_valid = parse_digest_hex(txt, &order_.id);
    } else if (key == "status") {
      order_.status_text = txt;
      order_.status = order_status_of(txt);
      trade_.status = parse_trade_status(txt);
    } else if (key == "side") {
      if (!side_of(txt, &order_.side)) bad = true;
      trade_.side = order_.side;
    } else if (key == "price") {
      if (!fixed_of(txt, &order_.price)) bad = true;
      trade_.price = order_.price;
    } else if (key == "original_size") {
      if (!fixed_of(txt, &order_.original_size)) bad = true;
    } else if (key == "size_matched") {
      if (!fixed_of(txt, &order_.size_matched)) bad = true;
    } else if (key == "size") {
      if (!fixed_of(txt, &trade_.size)) bad = true;
    } else if (key == "timestamp") {
      if (!int_of(txt, &order_.timestamp_ms)) bad = true;
      trade_.timestamp_ms = order_.timestamp_ms;
    } else if (key == "match_time" || key == "matchtime") {
      if (!int_of(txt, &trade_.match_time_s)) bad = true;
    } else if (key == "owner") {
      order_.owner = txt;
      trade_.owner = txt;
    } else if (key == "market") {
      order_.market = txt;
      trade_.market = txt;
    } else if (key == "asset_id") {
      order_.asset_id = txt;
      trade_.asset_id = txt;
    } else if (key == "order_type") {
      order_.order_type = txt;
    } else if (key == "taker_order_id") {
      trade_.taker_order_id_valid = parse_digest_hex(txt, &trade_.taker_order_id);
    } else if (key == "trader_side") {
      trade_.trader_side = iequals(txt, "TAKER")   ? TraderSide::kTaker
                           : iequals(txt, "MAKER") ? TraderSide::kMaker
                                                   : TraderSide::kUnknown;
    } else if (key == "maker_address") {
      trade_.maker_address = txt;
    }
  }
  if (event_type == "order") {
    if (bad || !order_.id_valid) return UserParseStatus::kMalformed;
    sink.on_order(order_);
    return UserParseStatus::kOk;
  }
  if (event_type == "trade") {
    if (bad || trade_.trade_id.empty() || trade_.status == TradeStatus::kNone) return UserParseStatus::kMalformed;
    sink.on_trade(trade_);
    return UserParseStatus::kOk;
  }
  return UserParseStatus::kIgnored;
}

}  // namespace polybot::oms
