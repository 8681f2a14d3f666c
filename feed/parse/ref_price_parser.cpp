#include "feed/parse/ref_price_parser.hpp"

#include <utility>

namespace polybot::feed {

namespace od = simdjson::ondemand;

bool parse_e18(std::string_view s, u128& out) noexcept {
  if (s.empty()) return false;
  u128 v = 0;
  std::size_t i = 0, int_digits = 0;
  constexpr u128 kLimit = static_cast<u128>(1) << 120;  // far above any price x 1e18; guards the multiplies
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++int_digits) {
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
    if (v > kLimit) return false;
  }
  int frac = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (frac < 18) {
        v = v * 10 + static_cast<unsigned>(s[i] - '0');
        ++frac;
      } else if (s[i] != '0') {
        return false;
      }
    }
    if (int_digits == 0 && frac == 0) return false;
  } else {
    if (int_digits == 0) return false;
    if (int_digits >= 19) {  // already x 1e18
      if (i != s.size()) return false;
      out = v;
      return true;
    }
  }
  if (i != s.size()) return false;
  for (; frac < 18; ++frac) {
    v *= 10;
    if (v > kLimit) return false;
  }
  out = v;
  return true;
}

RefPriceParser::RefPriceParser(InstrumentTable& symbols, std::size_t max_frame, json::Stage1 stage1)
    : symbols_(symbols), input_(max_frame), points_(kMaxPoints) {
  // Grows later if a frame needs it (keeping the stage 1 chosen here).
  [[maybe_unused]] const auto reserved = json::allocate_parser(parser_, max_frame, stage1);
}

bool RefPriceParser::read_point(od::object& obj, Point& p, bool& has_value) noexcept {
  p = Point{0, 0};
  bool has_full = false;
  has_value = false;
  for (auto f : obj) {
    od::field fld;
    if (std::move(f).get(fld)) return false;
    const std::string_view key = detail::key_text(fld);
    od::value& v = fld.value();
    if (key == "timestamp") {
      if (!detail::read_int(v, p.ts_ms)) return false;
    } else if (key == "full_accuracy_value") {
      std::string_view s;
      if (!detail::scalar_text(v, s) || !parse_e18(s, p.e18)) return false;
      has_full = true;
      has_value = true;
    } else if (key == "value" && !has_full) {
      std::string_view s;
      u128 e = 0;
      if (!detail::scalar_text(v, s) || !parse_e18(s, e)) return false;
      p.e18 = e;
      has_value = true;
    }
  }
  return true;
}

ParseStatus RefPriceParser::read_payload(od::value& pv, std::string_view& symbol, std::size_t& n, bool& twap,
                                         std::string_view& source) noexcept {
  od::object obj;
  if (pv.get_object().get(obj)) return ParseStatus::kMalformed;
  n = 0;
  Point single{0, 0};
  bool has_full = false, has_value = false;
  for (auto f : obj) {
    od::field fld;
    if (std::move(f).get(fld)) return ParseStatus::kMalformed;
    const std::string_view key = detail::key_text(fld);
    od::value& v = fld.value();
    if (key == "symbol") {
      if (!detail::read_string(v, symbol)) return ParseStatus::kMalformed;
    } else if (key == "source") {
      if (!detail::read_string(v, source)) return ParseStatus::kMalformed;
    } else if (key == "window_seconds" || key == "window_s") {
      twap = true;
    } else if (key == "timestamp") {
      if (!detail::read_int(v, single.ts_ms)) return ParseStatus::kBadNumber;
    } else if (key == "full_accuracy_value") {
      std::string_view s;
      if (!detail::scalar_text(v, s) || !parse_e18(s, single.e18)) return ParseStatus::kBadNumber;
      has_full = has_value = true;
    } else if (key == "value" && !has_full) {
      std::string_view s;
      if (!detail::scalar_text(v, s) || !parse_e18(s, single.e18)) return ParseStatus::kBadNumber;
      has_value = true;
    } else if (key == "data") {
      od::array arr;
      if (v.get_array().get(arr)) return ParseStatus::kMalformed;
      for (auto el : arr) {
        od::object po;
        if (el.get_object().get(po)) return ParseStatus::kMalformed;
        if (n >= points_.size()) return ParseStatus::kTooLarge;
        bool hv = false;
        if (!read_point(po, points_[n], hv)) return ParseStatus::kBadNumber;
        if (hv) ++n;
      }
    }
  }
  if (has_value) {
    if (n >= points_.size()) return ParseStatus::kTooLarge;
    points_[n++] = single;
  }
  return ParseStatus::kOk;
}

ParseStatus RefPriceParser::parse(std::string_view frame, std::int64_t recv_ns, MarketSink& sink) noexcept {
  return parse_in_place(frame, 0, recv_ns, sink);
}

ParseStatus RefPriceParser::parse_in_place(std::string_view frame, std::size_t readable_after, std::int64_t recv_ns,
                                  MarketSink& sink) noexcept {
  ++stats_.frames;
  stats_.bytes += frame.size();
  if (detail::first_byte(frame) != '{') {
    stats_.count(FrameKind::kNonJson, ParseStatus::kIgnored);
    return ParseStatus::kIgnored;
  }
  od::document doc;
  od::object obj;
  const char* data = nullptr;
  if (!detail::start_document(parser_, input_, frame, readable_after, doc, data) || doc.get_object().get(obj)) {
    stats_.count(FrameKind::kUnknown, ParseStatus::kMalformed);
    return ParseStatus::kMalformed;
  }
  std::string_view topic, channel, type, symbol, source;
  std::uint64_t seq = 0;
  bool snapshot = false, twap = false, has_payload = false, is_op = false;
  std::size_t n = 0;
  ParseStatus st = ParseStatus::kOk;
  for (auto f : obj) {
    od::field fld;
    if (std::move(f).get(fld)) {
      st = ParseStatus::kMalformed;
      break;
    }
    const std::string_view key = detail::key_text(fld);
    od::value& v = fld.value();
    if (key == "topic") {
      if (!detail::read_string(v, topic)) st = ParseStatus::kMalformed;
    } else if (key == "channel") {
      if (!detail::read_string(v, channel)) st = ParseStatus::kMalformed;
    } else if (key == "type") {
      if (!detail::read_string(v, type)) st = ParseStatus::kMalformed;
    } else if (key == "op") {
      is_op = true;
    } else if (key == "seq") {
      if (!detail::read_uint(v, seq)) st = ParseStatus::kBadNumber;
    } else if (key == "snapshot") {
      if (v.get_bool().get(snapshot)) st = ParseStatus::kMalformed;
    } else if (key == "payload") {
      st = read_payload(v, symbol, n, twap, source);
      has_payload = true;
    }
    if (st != ParseStatus::kOk) break;
  }
  const FrameKind kind = !topic.empty() ? FrameKind::kRtdsPrice
                         : !channel.empty() ? FrameKind::kPolyBoltPrice
                                            : FrameKind::kUnknown;
  if (st == ParseStatus::kOk && (is_op || !has_payload || kind == FrameKind::kUnknown)) st = ParseStatus::kIgnored;
  if (st == ParseStatus::kOk && symbol.empty()) st = ParseStatus::kMissingField;
  InstrumentId id{};
  if (st == ParseStatus::kOk) {
    id = symbols_.resolve(symbol);
    if (!id.valid()) st = ParseStatus::kUnknownInstrument;
  }
  if (st != ParseStatus::kOk) {
    stats_.count(kind, st);
    return st;
  }
  Venue venue = Venue::kChainlink;
  if (kind == FrameKind::kRtdsPrice) {
    if (topic.find("twap") != std::string_view::npos) twap = true;
    if (topic == "crypto_prices") venue = Venue::kBinance;
    if (type == "subscribe") snapshot = true;
  } else {
    if (channel.find("twap") != std::string_view::npos) twap = true;
    if (source == "binance") venue = Venue::kBinance;
    else if (!source.empty() && source != "chainlink") venue = Venue::kNone;  // pyth or another provider
  }
  for (std::size_t i = 0; i < n; ++i) {
    RefPrice m;
    m.hdr.type = MsgType::kRefPrice;
    m.hdr.producer = Stage::kFeed;
    m.hdr.instrument = id;
    m.hdr.ts_exch = detail::ms_to_ns(points_[i].ts_ms);
    m.hdr.ts_recv = recv_ns;
    m.hdr.ts_origin = recv_ns;
    if (i + 1 == n) m.hdr.flags = msg_flag::kLast;
    const u128 e18 = points_[i].e18;
    m.value = UsdPrice::from_raw(static_cast<std::int64_t>(e18 / static_cast<u128>(10'000'000'000ull)));
    m.value_e18_hi = static_cast<std::uint64_t>(e18 >> 64);
    m.value_e18_lo = static_cast<std::uint64_t>(e18);
    m.feed_ts_ms = points_[i].ts_ms;
    m.venue = venue;
    m.is_twap = twap ? 1 : 0;
    m.is_snapshot = snapshot ? 1 : 0;
    m.seq = seq;
    sink.on_ref_price(m);
  }
  stats_.count(kind, ParseStatus::kOk);
  return ParseStatus::kOk;
}

}  // namespace polybot::feed
