#include "feed/parse/binance_parser.hpp"

#include <utility>

namespace polybot::feed {

namespace od = simdjson::ondemand;
using detail::int_from_token;
using detail::read_fixed;
using detail::read_int;
using detail::read_string;
using detail::read_uint;
using detail::uint_from_token;

namespace {

constexpr int kPx = UsdPrice::kDecimals;
constexpr int kQ = BtcQty::kDecimals;

FrameKind frame_kind_of(int k) noexcept {
  switch (k) {
    case 1: return FrameKind::kBookTicker;
    case 2: return FrameKind::kAggTrade;
    case 3: return FrameKind::kTrade;
    case 4: return FrameKind::kDepthDiff;
    case 5: return FrameKind::kDepthPartial;
    case 6: return FrameKind::kKline;
    default: return FrameKind::kUnknown;
  }
}

}  // namespace

BinanceParser::BinanceParser(InstrumentTable& symbols, std::size_t max_frame)
    : symbols_(symbols), input_(max_frame), bids_(kMaxLevels), asks_(kMaxLevels) {
  [[maybe_unused]] const auto reserved = parser_.allocate(max_frame);  // grows later if a frame needs it
}

BinanceParser::StreamKind BinanceParser::classify(std::string_view stream) noexcept {
  const auto at = stream.find('@');
  if (at == std::string_view::npos) return StreamKind::kUnknown;
  std::string_view rest = stream.substr(at + 1);
  if (rest == "bookTicker") return StreamKind::kBookTicker;
  if (rest == "aggTrade") return StreamKind::kAggTrade;
  if (rest == "trade") return StreamKind::kTrade;
  if (rest.substr(0, 6) == "kline_") return StreamKind::kKline;
  if (rest.substr(0, 5) == "depth") {
    rest.remove_prefix(5);
    if (rest.empty() || rest[0] == '@') return StreamKind::kDepthDiff;  // @depth, @depth@100ms, @depth@0ms
    if (rest[0] >= '0' && rest[0] <= '9') return StreamKind::kDepthPartial;  // @depth5/10/20[@100ms]
  }
  return StreamKind::kUnknown;
}

InstrumentId BinanceParser::symbol_of(std::string_view stream) noexcept {
  const auto at = stream.find('@');
  const std::string_view lower = stream.substr(0, at);
  char up[32];
  if (lower.empty() || lower.size() > sizeof(up)) return {};
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const char c = lower[i];
    up[i] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  const std::string_view key(up, lower.size());
  // Streams repeat one symbol: re-check the last hit against the table's own key (no hashing).
  if (recent_.valid() && symbols_.key_of(recent_) == key) return recent_;
  const InstrumentId id = symbols_.resolve(key);
  if (id.valid()) recent_ = id;
  return id;
}

ParseStatus BinanceParser::read_levels(od::value& v, std::vector<book::DepthLevel>& out, std::size_t& n) noexcept {
  od::array arr;
  if (v.get_array().get(arr)) return ParseStatus::kMalformed;
  n = 0;
  for (auto el : arr) {
    od::array pair;
    if (el.get_array().get(pair)) return ParseStatus::kMalformed;
    if (n >= out.size()) return ParseStatus::kTooLarge;
    int i = 0;
    for (auto x : pair) {
      od::value item;
      if (std::move(x).get(item)) return ParseStatus::kMalformed;
      if (i == 0) {
        if (!detail::fixed_from_token(item, detail::token(item), kPx, false, out[n].price)) return ParseStatus::kBadNumber;
      } else if (i == 1) {
        if (!detail::fixed_from_token(item, detail::token(item), kQ, false, out[n].qty)) return ParseStatus::kBadNumber;
      }
      ++i;
    }
    if (i < 2) return ParseStatus::kMissingField;
    ++n;
  }
  return ParseStatus::kOk;
}

ParseStatus BinanceParser::parse_kline_object(od::value& kv, InstrumentId symbol, std::int64_t event_ms,
                                              std::int64_t recv_ns, MarketSink& sink) noexcept {
  od::object k;
  if (kv.get_object().get(k)) return ParseStatus::kMalformed;
  Kline m;
  std::uint32_t have = 0;
  for (auto f : k) {
    od::field fld;
    if (std::move(f).get(fld)) return ParseStatus::kMalformed;
    std::string_view tok;
    const std::string_view key = detail::key_text(fld, tok);
    od::value& v = fld.value();
    std::int64_t tmp = 0;
    if (key == "t") {
      if (!int_from_token(v, tok, m.open_time_ms)) return ParseStatus::kBadNumber;
      have |= 1;
    } else if (key == "T") {
      if (!int_from_token(v, tok, m.close_time_ms)) return ParseStatus::kBadNumber;
      have |= 2;
    } else if (key == "o") {
      if (!detail::fixed_from_token(v, tok, kPx, false, tmp)) return ParseStatus::kBadNumber;
      m.open = UsdPrice::from_raw(tmp);
      have |= 4;
    } else if (key == "h") {
      if (!detail::fixed_from_token(v, tok, kPx, false, tmp)) return ParseStatus::kBadNumber;
      m.high = UsdPrice::from_raw(tmp);
      have |= 8;
    } else if (key == "l") {
      if (!detail::fixed_from_token(v, tok, kPx, false, tmp)) return ParseStatus::kBadNumber;
      m.low = UsdPrice::from_raw(tmp);
      have |= 16;
    } else if (key == "c") {
      if (!detail::fixed_from_token(v, tok, kPx, false, tmp)) return ParseStatus::kBadNumber;
      m.close = UsdPrice::from_raw(tmp);
      have |= 32;
    } else if (key == "v") {
      if (!detail::fixed_from_token(v, tok, kQ, false, tmp)) return ParseStatus::kBadNumber;
      m.volume = BtcQty::from_raw(tmp);
      have |= 64;
    } else if (key == "n") {
      if (!int_from_token(v, tok, tmp) || tmp < 0) return ParseStatus::kBadNumber;
      m.trades = static_cast<std::uint32_t>(tmp);
    } else if (key == "x") {
      bool b = false;
      if (v.get_bool().get(b)) return ParseStatus::kMalformed;
      m.closed = b ? 1 : 0;
    }
  }
  if ((have & 127u) != 127u) return ParseStatus::kMissingField;
  m.hdr = detail::msg_header(MsgType::kKline, symbol, event_ms, recv_ns);
  m.venue = Venue::kBinance;
  sink.on_kline(m);
  return ParseStatus::kOk;
}

ParseStatus BinanceParser::parse_data(StreamKind kind, InstrumentId symbol, od::value& data, std::int64_t recv_ns,
                                      MarketSink& sink) noexcept {
  od::object obj;
  if (data.get_object().get(obj)) return ParseStatus::kMalformed;
  switch (kind) {
    case StreamKind::kBookTicker: {
      BtcTick t;
      std::uint32_t have = 0;
      std::int64_t tmp = 0;
      for (auto f : obj) {
        od::field fld;
        if (std::move(f).get(fld)) return ParseStatus::kMalformed;
        std::string_view tok;
        const std::string_view key = detail::key_text(fld, tok);
        od::value& v = fld.value();
        if (key == "u") {
          if (!uint_from_token(v, tok, t.update_id)) return ParseStatus::kBadNumber;
          have |= 1;
        } else if (key == "b") {
          if (!detail::fixed_from_token(v, tok, kPx, false, tmp)) return ParseStatus::kBadNumber;
          t.bid = UsdPrice::from_raw(tmp);
          have |= 2;
        } else if (key == "B") {
          if (!detail::fixed_from_token(v, tok, kQ, false, tmp)) return ParseStatus::kBadNumber;
          t.bid_qty = BtcQty::from_raw(tmp);
          have |= 4;
        } else if (key == "a") {
          if (!detail::fixed_from_token(v, tok, kPx, false, tmp)) return ParseStatus::kBadNumber;
          t.ask = UsdPrice::from_raw(tmp);
          have |= 8;
        } else if (key == "A") {
          if (!detail::fixed_from_token(v, tok, kQ, false, tmp)) return ParseStatus::kBadNumber;
          t.ask_qty = BtcQty::from_raw(tmp);
          have |= 16;
        } else if (key == "E" || key == "T") {  // futures bookTicker carries times; spot does not
          if (!int_from_token(v, tok, tmp)) return ParseStatus::kBadNumber;
          if (key == "E") t.hdr.ts_exch = detail::ms_to_ns(tmp);
        }
      }
      if (have != 31u) return ParseStatus::kMissingField;
      const std::int64_t ts = t.hdr.ts_exch;
      t.hdr = detail::msg_header(MsgType::kBtcTick, symbol, 0, recv_ns);
      t.hdr.ts_exch = ts;
      t.venue = Venue::kBinance;
      sink.on_btc_tick(t);
      return ParseStatus::kOk;
    }
    case StreamKind::kAggTrade:
    case StreamKind::kTrade: {
      Trade t;
      std::uint32_t have = 0;
      std::int64_t trade_ms = 0;
      for (auto f : obj) {
        od::field fld;
        if (std::move(f).get(fld)) return ParseStatus::kMalformed;
        std::string_view tok;
        const std::string_view key = detail::key_text(fld, tok);
        od::value& v = fld.value();
        if (key == "p") {
          if (!detail::fixed_from_token(v, tok, kPx, false, t.price_raw)) return ParseStatus::kBadNumber;
          have |= 1;
        } else if (key == "q") {
          if (!detail::fixed_from_token(v, tok, kQ, false, t.size_raw)) return ParseStatus::kBadNumber;
          have |= 2;
        } else if (key == "T") {
          if (!int_from_token(v, tok, trade_ms)) return ParseStatus::kBadNumber;
          have |= 4;
        } else if (key == (kind == StreamKind::kAggTrade ? "a" : "t")) {
          if (!uint_from_token(v, tok, t.trade_id)) return ParseStatus::kBadNumber;
          have |= 8;
        } else if (key == "m") {
          bool maker = false;
          if (v.get_bool().get(maker)) return ParseStatus::kMalformed;
          // The buyer resting means the seller crossed the spread.
          t.aggressor = maker ? Side::kSell : Side::kBuy;
          have |= 16;
        }
      }
      if (have != 31u) return ParseStatus::kMissingField;
      t.hdr = detail::msg_header(MsgType::kTrade, symbol, trade_ms, recv_ns);
      t.venue = Venue::kBinance;
      sink.on_trade(t);
      return ParseStatus::kOk;
    }
    case StreamKind::kDepthDiff: {
      book::DepthDiff d;
      std::size_t nb = 0, na = 0;
      std::uint32_t have = 0;
      std::int64_t e_ms = 0;
      for (auto f : obj) {
        od::field fld;
        if (std::move(f).get(fld)) return ParseStatus::kMalformed;
        std::string_view tok;
        const std::string_view key = detail::key_text(fld, tok);
        od::value& v = fld.value();
        ParseStatus st = ParseStatus::kOk;
        if (key == "U") {
          if (!uint_from_token(v, tok, d.first_id)) return ParseStatus::kBadNumber;
          have |= 1;
        } else if (key == "u") {
          if (!uint_from_token(v, tok, d.last_id)) return ParseStatus::kBadNumber;
          have |= 2;
        } else if (key == "pu") {
          if (!uint_from_token(v, tok, d.prev_id)) return ParseStatus::kBadNumber;
        } else if (key == "E") {
          if (!int_from_token(v, tok, e_ms)) return ParseStatus::kBadNumber;
        } else if (key == "b") {
          st = read_levels(v, bids_, nb);
          have |= 4;
        } else if (key == "a") {
          st = read_levels(v, asks_, na);
          have |= 8;
        }
        if (st != ParseStatus::kOk) return st;
      }
      if (have != 15u) return ParseStatus::kMissingField;
      d.ts_exch_ns = detail::ms_to_ns(e_ms);
      d.ts_recv_ns = recv_ns;
      sink.on_depth_diff(symbol, d, std::span<const book::DepthLevel>(bids_.data(), nb),
                         std::span<const book::DepthLevel>(asks_.data(), na));
      return ParseStatus::kOk;
    }
    case StreamKind::kDepthPartial: {
      std::uint64_t last = 0;
      std::size_t nb = 0, na = 0;
      std::uint32_t have = 0;
      for (auto f : obj) {
        od::field fld;
        if (std::move(f).get(fld)) return ParseStatus::kMalformed;
        std::string_view tok;
        const std::string_view key = detail::key_text(fld, tok);
        od::value& v = fld.value();
        ParseStatus st = ParseStatus::kOk;
        if (key == "lastUpdateId" || key == "u") {
          if (!uint_from_token(v, tok, last)) return ParseStatus::kBadNumber;
          have |= 1;
        } else if (key == "bids" || key == "b") {
          st = read_levels(v, bids_, nb);
          have |= 2;
        } else if (key == "asks" || key == "a") {
          st = read_levels(v, asks_, na);
          have |= 4;
        }
        if (st != ParseStatus::kOk) return st;
      }
      if (have != 7u) return ParseStatus::kMissingField;
      sink.on_depth_snapshot(symbol, last, false, recv_ns, std::span<const book::DepthLevel>(bids_.data(), nb),
                             std::span<const book::DepthLevel>(asks_.data(), na));
      return ParseStatus::kOk;
    }
    case StreamKind::kKline: {
      std::int64_t e_ms = 0;
      for (auto f : obj) {
        od::field fld;
        if (std::move(f).get(fld)) return ParseStatus::kMalformed;
        const std::string_view key = detail::key_text(fld);
        if (key == "E") {
          if (!read_int(fld.value(), e_ms)) return ParseStatus::kBadNumber;
        } else if (key == "k") {
          return parse_kline_object(fld.value(), symbol, e_ms, recv_ns, sink);
        }
      }
      return ParseStatus::kMissingField;
    }
    case StreamKind::kUnknown:
      break;
  }
  return ParseStatus::kIgnored;
}

ParseStatus BinanceParser::parse(std::string_view frame, std::int64_t recv_ns, MarketSink& sink) noexcept {
  return parse_in_place(frame, 0, recv_ns, sink);
}

ParseStatus BinanceParser::parse_in_place(std::string_view frame, std::size_t readable_after, std::int64_t recv_ns,
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
  // Binance sends "stream" before "data"; find_field_unordered copes with either order.
  std::string_view stream;
  {
    od::value sv;
    const auto err = obj.find_field_unordered("stream").get(sv);
    if (err == simdjson::NO_SUCH_FIELD) {
      // A control reply ({"result":null,"id":1}) or a raw (non-combined) payload: not handled here.
      stats_.count(FrameKind::kUnknown, ParseStatus::kIgnored);
      return ParseStatus::kIgnored;
    }
    if (err || !read_string(sv, stream)) {
      stats_.count(FrameKind::kUnknown, ParseStatus::kMalformed);
      return ParseStatus::kMalformed;
    }
  }
  const StreamKind kind = classify(stream);
  const FrameKind fk = frame_kind_of(static_cast<int>(kind));
  if (kind == StreamKind::kUnknown) {
    stats_.count(fk, ParseStatus::kIgnored);
    return ParseStatus::kIgnored;
  }
  const InstrumentId symbol = symbol_of(stream);
  if (!symbol.valid()) {
    stats_.count(fk, ParseStatus::kUnknownInstrument);
    return ParseStatus::kUnknownInstrument;
  }
  od::value dv;
  if (obj.find_field_unordered("data").get(dv)) {
    stats_.count(fk, ParseStatus::kMissingField);
    return ParseStatus::kMissingField;
  }
  const ParseStatus st = parse_data(kind, symbol, dv, recv_ns, sink);
  stats_.count(fk, st);
  return st;
}

ParseStatus BinanceParser::parse_rest_depth(std::string_view body, InstrumentId symbol, std::int64_t recv_ns,
                                            MarketSink& sink) noexcept {
  ++stats_.frames;
  stats_.bytes += body.size();
  od::document doc;
  od::object obj;
  if (detail::first_byte(body) != '{' || !detail::start_document(parser_, input_, body, doc) ||
      doc.get_object().get(obj)) {
    stats_.count(FrameKind::kRestDepth, ParseStatus::kMalformed);
    return ParseStatus::kMalformed;
  }
  std::uint64_t last = 0;
  std::size_t nb = 0, na = 0;
  std::uint32_t have = 0;
  ParseStatus st = ParseStatus::kOk;
  for (auto f : obj) {
    od::field fld;
    if (std::move(f).get(fld)) {
      st = ParseStatus::kMalformed;
      break;
    }
    std::string_view tok;
    const std::string_view key = detail::key_text(fld, tok);
    od::value& v = fld.value();
    if (key == "lastUpdateId") {
      if (!uint_from_token(v, tok, last)) {
        st = ParseStatus::kBadNumber;
        break;
      }
      have |= 1;
    } else if (key == "bids") {
      st = read_levels(v, bids_, nb);
      have |= 2;
    } else if (key == "asks") {
      st = read_levels(v, asks_, na);
      have |= 4;
    }
    if (st != ParseStatus::kOk) break;
  }
  if (st == ParseStatus::kOk && have != 7u) st = ParseStatus::kMissingField;
  if (st == ParseStatus::kOk) {
    sink.on_depth_snapshot(symbol, last, true, recv_ns, std::span<const book::DepthLevel>(bids_.data(), nb),
                           std::span<const book::DepthLevel>(asks_.data(), na));
  }
  stats_.count(FrameKind::kRestDepth, st);
  return st;
}

ParseStatus BinanceParser::parse_rest_klines(std::string_view body, InstrumentId symbol, std::int64_t now_ms,
                                             std::int64_t recv_ns, MarketSink& sink) noexcept {
  ++stats_.frames;
  stats_.bytes += body.size();
  od::document doc;
  od::array rows;
  if (detail::first_byte(body) != '[' || !detail::start_document(parser_, input_, body, doc) ||
      doc.get_array().get(rows)) {
    stats_.count(FrameKind::kRestKlines, ParseStatus::kMalformed);
    return ParseStatus::kMalformed;
  }
  for (auto r : rows) {
    od::array row;
    if (r.get_array().get(row)) {
      stats_.count(FrameKind::kRestKlines, ParseStatus::kMalformed);
      return ParseStatus::kMalformed;
    }
    Kline m;
    int i = 0;
    std::int64_t tmp = 0;
    for (auto x : row) {
      od::value v;
      if (std::move(x).get(v)) {
        stats_.count(FrameKind::kRestKlines, ParseStatus::kMalformed);
        return ParseStatus::kMalformed;
      }
      bool ok = true;
      switch (i) {
        case 0: ok = read_int(v, m.open_time_ms); break;
        case 1: ok = read_fixed(v, kPx, false, tmp); m.open = UsdPrice::from_raw(tmp); break;
        case 2: ok = read_fixed(v, kPx, false, tmp); m.high = UsdPrice::from_raw(tmp); break;
        case 3: ok = read_fixed(v, kPx, false, tmp); m.low = UsdPrice::from_raw(tmp); break;
        case 4: ok = read_fixed(v, kPx, false, tmp); m.close = UsdPrice::from_raw(tmp); break;
        case 5: ok = read_fixed(v, kQ, false, tmp); m.volume = BtcQty::from_raw(tmp); break;
        case 6: ok = read_int(v, m.close_time_ms); break;
        case 8: ok = read_int(v, tmp) && tmp >= 0; m.trades = static_cast<std::uint32_t>(tmp); break;
        default: break;
      }
      if (!ok) {
        stats_.count(FrameKind::kRestKlines, ParseStatus::kBadNumber);
        return ParseStatus::kBadNumber;
      }
      ++i;
    }
    if (i < 9) {
      stats_.count(FrameKind::kRestKlines, ParseStatus::kMissingField);
      return ParseStatus::kMissingField;
    }
    m.closed = m.close_time_ms < now_ms ? 1 : 0;
    m.venue = Venue::kBinance;
    m.hdr = detail::msg_header(MsgType::kKline, symbol, m.close_time_ms, recv_ns);
    sink.on_kline(m);
  }
  stats_.count(FrameKind::kRestKlines, ParseStatus::kOk);
  return ParseStatus::kOk;
}

}  // namespace polybot::feed
