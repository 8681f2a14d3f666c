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

BinanceParser::BinanceParser(InstrumentTable& symbols, std::size_t max_frame, json::Stage1 stage1)
    : symbols_(symbols), input_(max_frame), bids_(kMaxLevels), asks_(kMaxLevels) {
  // Grows later if a frame needs it (keeping the stage 1 chosen here).
  [[maybe_unused]] const auto reserved = json::allocate_parser(parser_, max_frame, stage1);
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

// Levels [["price","qty"],...] of a diff depth in one flat pass; exactly read_levels for what it accepts (a pair's
// items past the second are skipped there too), anything else is left to it.
[[gnu::always_inline]] inline BinanceParser::Fast BinanceParser::fast_levels(od::value& v,
                                                                            std::vector<book::DepthLevel>& out,
                                                                            std::size_t& n) noexcept {
  od::array arr;
  if (v.get_array().get(arr)) return Fast::kOtherShape;
  std::string_view text;
  n = 0;
  for (auto el : arr) {
    if (el.error()) return Fast::kJsonError;
    od::array pair;
    if (el.value_unsafe().get_array().get(pair) || n >= out.size()) return Fast::kOtherShape;
    book::DepthLevel& l = out[n];
    int i = 0;
    for (auto x : pair) {
      if (x.error()) return Fast::kJsonError;
      if (i < 2) {
        const std::string_view t = detail::token(x.value_unsafe());
        if (!detail::plain_fixed_token(t, i == 0 ? kPx : kQ, false, text, i == 0 ? l.price : l.qty)) {
          return Fast::kOtherShape;
        }
      }
      ++i;
    }
    if (i < 2) return Fast::kOtherShape;
    ++n;
  }
  return Fast::kDone;
}

// flatten: as the Polymarket price_change fast path, everything inlined keeps simdjson's iterators in registers.
// Same keys, same decimal reader and same "last duplicate wins" as parse_data; the first thing outside the usual
// shape (another envelope key or order, an escape, a number that is not plain, a stream kind it does not read,
// an unknown symbol, a missing field) hands the whole frame to the general reader, which decides and reports.
[[gnu::flatten]] BinanceParser::Fast BinanceParser::fast_frame(od::document& doc, std::int64_t recv_ns,
                                                               MarketSink& sink, ParseStatus& st,
                                                               FrameKind& fk) noexcept {
  using detail::plain_fixed_token;
  using detail::raw_key_is;
  od::object obj;
  if (doc.get_object().get(obj)) return Fast::kJsonError;
  StreamKind kind = StreamKind::kUnknown;
  InstrumentId symbol{};
  std::uint32_t have = 0;
  std::int64_t e_ms = 0, t_ms = 0, x = 0;
  std::uint64_t id0 = 0, id1 = 0, id2 = 0;       // bookTicker u | trade id | depth U, u, pu
  std::int64_t n0 = 0, n1 = 0, n2 = 0, n3 = 0;  // bookTicker b, B, a, A | trade p, q
  bool maker = false;
  std::size_t nb = 0, na = 0;
  std::string_view text;
  const auto id_token = [&text](od::value& val, std::uint64_t& out) noexcept {  // uint_from_token, plain only
    std::int64_t i = 0;
    const bool ok = plain_fixed_token(detail::token(val), 0, false, text, i);
    out = static_cast<std::uint64_t>(i);
    return ok;
  };
  int field = 0;
  for (auto f : obj) {
    if (f.error()) return Fast::kJsonError;
    od::field& fld = f.value_unsafe();
    const char* const key = fld.key().raw();
    od::value& v = fld.value();
    if (field == 0) {  // "stream": the kind and the symbol
      std::string_view stream;
      if (!raw_key_is(key, "stream") || !detail::raw_string(detail::token(v), stream) ||
          detail::has_backslash(stream)) {
        return Fast::kOtherShape;
      }
      kind = classify(stream);
      if (kind != StreamKind::kBookTicker && kind != StreamKind::kTrade && kind != StreamKind::kAggTrade &&
          kind != StreamKind::kDepthDiff) {
        return Fast::kOtherShape;
      }
      symbol = symbol_of(stream);
      if (!symbol.valid()) return Fast::kOtherShape;
    } else if (field == 1) {  // "data": read into locals, emitted once the envelope is known to end here
      od::object data;
      if (!raw_key_is(key, "data") || v.get_object().get(data)) return Fast::kOtherShape;
      const char trade_id_key = kind == StreamKind::kAggTrade ? 'a' : 't';
      for (auto g : data) {
        if (g.error()) return Fast::kJsonError;
        od::field& df = g.value_unsafe();
        const char* const k = df.key().raw();
        od::value& dv = df.value();
        bool ok = true;
        if (k[1] == '"') {  // every field read is one letter, but depth's "pu"
          const char c = k[0];
          if (kind == StreamKind::kBookTicker) {
            switch (c) {
              case 'u': ok = id_token(dv, id0); have |= 1; break;
              case 'b': ok = plain_fixed_token(detail::token(dv), kPx, false, text, n0); have |= 2; break;
              case 'B': ok = plain_fixed_token(detail::token(dv), kQ, false, text, n1); have |= 4; break;
              case 'a': ok = plain_fixed_token(detail::token(dv), kPx, false, text, n2); have |= 8; break;
              case 'A': ok = plain_fixed_token(detail::token(dv), kQ, false, text, n3); have |= 16; break;
              case 'E': ok = plain_fixed_token(detail::token(dv), 0, true, text, e_ms); break;
              case 'T': ok = plain_fixed_token(detail::token(dv), 0, true, text, x); break;
              default: break;
            }
          } else if (kind == StreamKind::kDepthDiff) {
            switch (c) {
              case 'U': ok = id_token(dv, id0); have |= 1; break;
              case 'u': ok = id_token(dv, id1); have |= 2; break;
              case 'E': ok = plain_fixed_token(detail::token(dv), 0, true, text, e_ms); break;
              case 'b':
              case 'a': {
                const Fast r = c == 'b' ? fast_levels(dv, bids_, nb) : fast_levels(dv, asks_, na);
                if (r == Fast::kJsonError) return r;  // the iterator is abandoned: no rewind possible
                ok = r == Fast::kDone;
                have |= c == 'b' ? 4 : 8;
                break;
              }
              default: break;
            }
          } else if (c == trade_id_key) {
            ok = id_token(dv, id0);
            have |= 8;
          } else {
            switch (c) {
              case 'p': ok = plain_fixed_token(detail::token(dv), kPx, false, text, n0); have |= 1; break;
              case 'q': ok = plain_fixed_token(detail::token(dv), kQ, false, text, n1); have |= 2; break;
              case 'T': ok = plain_fixed_token(detail::token(dv), 0, true, text, t_ms); have |= 4; break;
              case 'm': {
                const std::string_view t = detail::token(dv);
                ok = t == "true" || t == "false";
                maker = t.size() == 4;
                have |= 16;
                break;
              }
              default: break;
            }
          }
        } else if (kind == StreamKind::kDepthDiff && raw_key_is(k, "pu")) {
          ok = id_token(dv, id2);
        }
        if (!ok) return Fast::kOtherShape;  // escapes, number errors, bad levels: the general reader decides
      }
    } else {
      return Fast::kOtherShape;
    }
    ++field;
  }
  if (field != 2) return Fast::kOtherShape;
  fk = frame_kind_of(static_cast<int>(kind));
  switch (kind) {
    case StreamKind::kBookTicker: {
      if (have != 31u) return Fast::kOtherShape;
      BtcTick& t = tick_;
      detail::set_header(t.hdr, MsgType::kBtcTick, symbol, e_ms, recv_ns);
      t.bid = UsdPrice::from_raw(n0);
      t.bid_qty = BtcQty::from_raw(n1);
      t.ask = UsdPrice::from_raw(n2);
      t.ask_qty = BtcQty::from_raw(n3);
      t.update_id = id0;
      t.venue = Venue::kBinance;
      sink.on_btc_tick(t);
      break;
    }
    case StreamKind::kDepthDiff: {
      if (have != 15u) return Fast::kOtherShape;
      book::DepthDiff d;
      d.first_id = id0;
      d.last_id = id1;
      d.prev_id = id2;
      d.ts_exch_ns = detail::ms_to_ns(e_ms);
      d.ts_recv_ns = recv_ns;
      sink.on_depth_diff(symbol, d, std::span<const book::DepthLevel>(bids_.data(), nb),
                         std::span<const book::DepthLevel>(asks_.data(), na));
      break;
    }
    default: {  // trade, aggTrade
      if (have != 31u) return Fast::kOtherShape;
      Trade& t = trade_;
      detail::set_header(t.hdr, MsgType::kTrade, symbol, t_ms, recv_ns);
      t.price_raw = n0;
      t.size_raw = n1;
      t.trade_id = id0;
      t.aggressor = maker ? Side::kSell : Side::kBuy;  // the buyer resting means the seller crossed the spread
      t.venue = Venue::kBinance;
      sink.on_trade(t);
      break;
    }
  }
  st = ParseStatus::kOk;
  return Fast::kDone;
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
  if (!detail::start_document(parser_, input_, frame, readable_after, doc, data)) {
    stats_.count(FrameKind::kUnknown, ParseStatus::kMalformed);
    return ParseStatus::kMalformed;
  }
  {
    ParseStatus fast_st = ParseStatus::kOk;
    FrameKind fast_fk = FrameKind::kUnknown;
    const Fast fast = fast_frame(doc, recv_ns, sink, fast_st, fast_fk);
    if (fast == Fast::kDone) {
      stats_.count(fast_fk, fast_st);
      return fast_st;
    }
    if (!detail::resume_after_fast_path(fast, parser_, input_, frame, readable_after, doc, data)) {
      stats_.count(FrameKind::kUnknown, ParseStatus::kMalformed);
      return ParseStatus::kMalformed;
    }
  }
  if (doc.get_object().get(obj)) {
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
