#include "feed/parse/polymarket_parser.hpp"

#include <openssl/evp.h>

#include <utility>

namespace polybot::feed {

namespace od = simdjson::ondemand;
using detail::parse_fixed;

namespace {

constexpr int kPx = Price::kDecimals;
constexpr int kQ = Qty::kDecimals;

bool side_from_text(std::string_view s, Side& out) noexcept {
  if (s.size() == 3 && (detail::key_is(s, "BUY") || detail::key_is(s, "buy") || detail::key_is(s, "Buy"))) {
    out = Side::kBuy;
    return true;
  }
  if (s.size() == 4 && (detail::key_is(s, "SELL") || detail::key_is(s, "sell") || detail::key_is(s, "Sell"))) {
    out = Side::kSell;
    return true;
  }
  return false;
}

bool side_from_token(od::value& v, std::string_view tok, Side& out) noexcept {
  std::string_view s;
  return detail::string_from_token(v, tok, s) && side_from_text(s, out);
}

// First 8 bytes of a hex digest ("655a38d4..." or "0x655a..."), 0 when it is not hex.
std::uint64_t hash_prefix(std::string_view h) noexcept {
  if (h.size() >= 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X')) h.remove_prefix(2);
  if (h.size() < 16) return 0;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    const char c = h[i];
    std::uint64_t d;
    if (c >= '0' && c <= '9') d = static_cast<std::uint64_t>(c - '0');
    else if (c >= 'a' && c <= 'f') d = static_cast<std::uint64_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = static_cast<std::uint64_t>(c - 'A' + 10);
    else return 0;
    v = (v << 4) | d;
  }
  return v;
}

bool read_string_pair(od::value& v, std::string_view (&out)[2]) noexcept {
  od::array arr;
  if (v.get_array().get(arr)) return false;
  std::size_t i = 0;
  for (auto el : arr) {
    od::value item;
    if (std::move(el).get(item)) return false;
    std::string_view s;
    if (item.get_string().get(s)) return false;
    if (i < 2) out[i] = s;
    ++i;
  }
  return true;
}

}  // namespace

InstrumentId PolymarketParser::resolve(std::string_view key) noexcept {
  // A batch names the same one or two tokens over and over: re-check the last two hits against the table's own
  // key (one compare, no hashing), which stays correct whatever the table does with its ids.
  for (const InstrumentId cached : recent_) {
    if (cached.valid() && detail::same_text(tokens_.key_of(cached), key)) return cached;
  }
  const InstrumentId id = tokens_.resolve(key);
  if (id.valid() && id != recent_[0]) {
    recent_[1] = recent_[0];
    recent_[0] = id;
  }
  return id;
}

PolymarketParser::PolymarketParser(InstrumentTable& tokens, std::size_t max_frame)
    : tokens_(tokens), input_(max_frame), bids_(kMaxLevels), asks_(kMaxLevels), changes_(kMaxChanges) {
  [[maybe_unused]] const auto reserved = parser_.allocate(max_frame);  // grows later if a frame needs it
}

ParseStatus PolymarketParser::read_levels(od::value& v, std::vector<Level>& out, std::size_t& n) noexcept {
  od::array arr;
  if (v.get_array().get(arr)) return ParseStatus::kMalformed;
  n = 0;
  for (auto el : arr) {
    od::object lvl;
    if (el.get_object().get(lvl)) return ParseStatus::kMalformed;
    if (n >= out.size()) return ParseStatus::kTooLarge;
    Level& l = out[n];
    bool has_p = false, has_s = false;
    for (auto f : lvl) {
      if (f.error()) return ParseStatus::kMalformed;
      od::field& fld = f.value_unsafe();  // by reference: a copy costs a store-forwarding stall
      const char* const key = fld.key().raw();
      if (detail::raw_key_is(key, "price")) {
        if (!detail::fixed_from_token(fld.value(), detail::token(fld.value()), kPx, false, l.price_text, l.price)) {
          return ParseStatus::kBadNumber;
        }
        has_p = true;
      } else if (detail::raw_key_is(key, "size")) {
        if (!detail::fixed_from_token(fld.value(), detail::token(fld.value()), kQ, false, l.size_text, l.size)) {
          return ParseStatus::kBadNumber;
        }
        has_s = true;
      }
    }
    if (!has_p || !has_s) return ParseStatus::kMissingField;
    ++n;
  }
  return ParseStatus::kOk;
}

ParseStatus PolymarketParser::read_changes(od::value& v, Event& e, bool legacy) noexcept {
  od::array arr;
  if (v.get_array().get(arr)) return ParseStatus::kMalformed;
  e.n_changes = 0;
  for (auto el : arr) {
    od::object obj;
    if (el.get_object().get(obj)) return ParseStatus::kMalformed;
    if (e.n_changes >= changes_.size()) return ParseStatus::kTooLarge;
    Change& c = changes_[e.n_changes];
    c = Change{};
    bool has_p = false, has_s = false, has_side = false, has_bb = false, has_ba = false;
    for (auto f : obj) {
      if (f.error()) return ParseStatus::kMalformed;
      od::field& fld = f.value_unsafe();  // by reference: a copy costs a store-forwarding stall
      const char* const key = fld.key().raw();
      od::value& val = fld.value();
      using detail::raw_key_is;
      switch (key[0]) {  // then one fixed-size compare of the key and its closing quote
        case 's':
          if (raw_key_is(key, "size")) {
            if (!detail::fixed_from_token(val, detail::token(val), kQ, false, c.size)) return ParseStatus::kBadNumber;
            has_s = true;
          } else if (raw_key_is(key, "side")) {
            if (!side_from_token(val, detail::token(val), c.side)) return ParseStatus::kMalformed;
            has_side = true;
          }
          break;
        case 'p':
          if (raw_key_is(key, "price")) {
            if (!detail::fixed_from_token(val, detail::token(val), kPx, false, c.price)) return ParseStatus::kBadNumber;
            has_p = true;
          }
          break;
        case 'a':
          if (raw_key_is(key, "asset_id")) {
            if (!detail::string_from_token(val, detail::token(val), c.asset)) return ParseStatus::kMalformed;
          }
          break;
        case 'b':
          if (raw_key_is(key, "best_bid")) {
            if (!detail::fixed_from_token(val, detail::token(val), kPx, false, c.best_bid)) {
              return ParseStatus::kBadNumber;
            }
            has_bb = true;
          } else if (raw_key_is(key, "best_ask")) {
            if (!detail::fixed_from_token(val, detail::token(val), kPx, false, c.best_ask)) {
              return ParseStatus::kBadNumber;
            }
            has_ba = true;
          }
          break;
        default:
          break;
      }
    }
    if (!has_p || !has_s || !has_side) return ParseStatus::kMissingField;
    c.has_top = !legacy && has_bb && has_ba;
    ++e.n_changes;
  }
  return ParseStatus::kOk;
}

ParseStatus PolymarketParser::read_fields(od::object& obj, Event& e) noexcept {
  // Dispatch on the key's first letter, then one fixed-size compare of the letters and the closing quote
  // (detail::raw_key_is): no key length is computed.
  using detail::raw_key_is;
  for (auto f : obj) {
    if (f.error()) return ParseStatus::kMalformed;
    od::field& fld = f.value_unsafe();  // by reference: a copy costs a store-forwarding stall
    const char* const key = fld.key().raw();
    od::value& v = fld.value();
    ParseStatus st = ParseStatus::kOk;
    const auto str = [&](std::string_view& out) {
      return detail::string_from_token(v, detail::token(v), out) ? ParseStatus::kOk : ParseStatus::kMalformed;
    };
    const auto px = [&](std::int64_t& out, bool& has) {
      has = true;
      return detail::fixed_from_token(v, detail::token(v), kPx, false, out) ? ParseStatus::kOk
                                                                            : ParseStatus::kBadNumber;
    };
    const auto scalar = [&](std::string_view& out) {
      return detail::scalar_from_token(v, detail::token(v), out) ? ParseStatus::kOk : ParseStatus::kMalformed;
    };
    const auto pair = [&](std::string_view (&out)[2]) {
      return read_string_pair(v, out) ? ParseStatus::kOk : ParseStatus::kMalformed;
    };
    switch (key[0]) {
      case 'a':
        if (raw_key_is(key, "asset_id")) {
          st = str(e.asset_id);
        } else if (raw_key_is(key, "asks")) {
          st = read_levels(v, asks_, e.n_asks);
          e.has_book = true;
        } else if (raw_key_is(key, "assets_ids")) {
          st = pair(e.tokens);
        }
        break;
      case 'b':
        if (raw_key_is(key, "bids") || raw_key_is(key, "buys")) {
          st = read_levels(v, bids_, e.n_bids);
          e.has_book = true;
        } else if (raw_key_is(key, "best_bid")) {
          st = px(e.best_bid, e.has_best_bid);
        } else if (raw_key_is(key, "best_ask")) {
          st = px(e.best_ask, e.has_best_ask);
        }
        break;
      case 'c':
        if (raw_key_is(key, "changes")) {
          st = read_changes(v, e, true);
          e.has_legacy_changes = true;
        } else if (raw_key_is(key, "clob_token_ids")) {
          st = pair(e.tokens);
        } else if (raw_key_is(key, "condition_id")) {
          st = str(e.condition_id);
        }
        break;
      case 'e':
        if (raw_key_is(key, "event_type")) st = str(e.event_type);
        break;
      case 'f':
        if (raw_key_is(key, "fee_rate_bps")) {
          std::string_view s;
          if (!detail::scalar_from_token(v, detail::token(v), s)) return ParseStatus::kBadNumber;
          if (!s.empty() && !parse_fixed(s, 0, false, e.fee_rate_bps)) return ParseStatus::kBadNumber;  // "" since V2
        }
        break;
      case 'h':
        if (raw_key_is(key, "hash")) st = str(e.hash);
        break;
      case 'l':
        if (raw_key_is(key, "last_trade_price")) st = scalar(e.last_trade_price);
        break;
      case 'm':
        if (raw_key_is(key, "market")) {
          st = str(e.market);
        } else if (raw_key_is(key, "min_order_size")) {
          st = scalar(e.min_order_size);
        }
        break;
      case 'n':
        if (raw_key_is(key, "new_tick_size")) {
          st = px(e.new_tick, e.has_new_tick);
        } else if (raw_key_is(key, "neg_risk")) {
          bool b = false;
          if (v.get_bool().get(b)) return ParseStatus::kMalformed;
          e.neg_risk = b;
          e.has_neg_risk = true;
        }
        break;
      case 'o':
        if (raw_key_is(key, "old_tick_size")) {
          st = px(e.old_tick, e.has_old_tick);
        } else if (raw_key_is(key, "outcomes")) {
          st = pair(e.outcomes);
        } else if (raw_key_is(key, "order_price_min_tick_size")) {
          bool unused = false;
          st = px(e.min_tick, unused);
        }
        break;
      case 'p':
        if (raw_key_is(key, "price_changes")) {
          st = read_changes(v, e, false);
          e.has_changes = true;
        } else if (raw_key_is(key, "price")) {
          st = px(e.price, e.has_price);
        }
        break;
      case 's':
        if (raw_key_is(key, "size")) {
          e.has_size = true;
          if (!detail::fixed_from_token(v, detail::token(v), kQ, false, e.size)) st = ParseStatus::kBadNumber;
        } else if (raw_key_is(key, "side")) {
          e.has_side = true;
          if (!side_from_token(v, detail::token(v), e.side)) st = ParseStatus::kMalformed;
        } else if (raw_key_is(key, "sells")) {
          st = read_levels(v, asks_, e.n_asks);
          e.has_book = true;
        } else if (raw_key_is(key, "slug")) {
          st = str(e.slug);
        }
        break;
      case 't':
        if (raw_key_is(key, "timestamp")) {
          // Beyond INT64_MAX ns (year 2262) a time cannot be a venue time: refusing it keeps a corrupt frame from
          // pushing a book's clock past every later update.
          if (!detail::fixed_from_token(v, detail::token(v), 0, false, e.timestamp_text, e.ts_ms) ||
              e.ts_ms > INT64_MAX / detail::kNsPerMs) {
            return ParseStatus::kBadNumber;
          }
          e.has_ts = true;
        } else if (raw_key_is(key, "tick_size")) {
          st = scalar(e.tick_size);
        }
        break;
      case 'w':
        if (raw_key_is(key, "winning_asset_id")) {
          st = str(e.winning_asset_id);
        } else if (raw_key_is(key, "winning_outcome")) {
          st = str(e.winning_outcome);
        }
        break;
      default:
        break;
    }
    if (st != ParseStatus::kOk) return st;
  }
  return ParseStatus::kOk;
}

ParseStatus PolymarketParser::emit_book(const Event& e, std::int64_t recv_ns, MarketSink& sink, bool rest,
                                        HashCheckMode hash) {
  if (e.asset_id.empty() || !e.has_ts) return ParseStatus::kMissingField;
  const InstrumentId id = resolve(e.asset_id);
  if (!id.valid()) return ParseStatus::kUnknownInstrument;
  BookSnapshot snap;
  snap.hdr = detail::msg_header(MsgType::kBookSnapshot, id, e.ts_ms, recv_ns);
  snap.bid_levels = static_cast<std::uint32_t>(e.n_bids);
  snap.ask_levels = static_cast<std::uint32_t>(e.n_asks);
  snap.hash_prefix = hash_prefix(e.hash);
  snap.venue = Venue::kPolymarket;
  snap.from_rest = rest ? 1 : 0;
  if (rest && hash != HashCheckMode::kOff && !e.hash.empty()) snap.hash_check = hash_matches(e) ? 1 : 2;
  snap.phase = SnapshotPhase::kBegin;
  sink.on_book_snapshot(snap);
  BookLevel lvl;
  lvl.hdr = detail::msg_header(MsgType::kBookLevel, id, e.ts_ms, recv_ns);
  lvl.hdr.flags = msg_flag::kSnapshot;
  lvl.venue = Venue::kPolymarket;
  lvl.side = BookSide::kBid;
  for (std::size_t i = 0; i < e.n_bids; ++i) {
    lvl.price = Price::from_raw(bids_[i].price);
    lvl.size = Qty::from_raw(bids_[i].size);
    sink.on_book_level(lvl);
  }
  lvl.side = BookSide::kAsk;
  for (std::size_t i = 0; i < e.n_asks; ++i) {
    lvl.price = Price::from_raw(asks_[i].price);
    lvl.size = Qty::from_raw(asks_[i].size);
    sink.on_book_level(lvl);
  }
  snap.phase = SnapshotPhase::kEnd;
  snap.hdr.flags = msg_flag::kLast;
  sink.on_book_snapshot(snap);
  return ParseStatus::kOk;
}

ParseStatus PolymarketParser::emit_changes(const Event& e, std::int64_t recv_ns, MarketSink& sink) noexcept {
  if (!e.has_ts) return ParseStatus::kMissingField;
  BookLevel lvl;
  lvl.venue = Venue::kPolymarket;
  if (!e.has_changes && !e.has_legacy_changes) {
    // Flat legacy shape: one level at the top level of the event.
    if (!e.has_price || !e.has_size || !e.has_side || e.asset_id.empty()) return ParseStatus::kMissingField;
    const InstrumentId id = resolve(e.asset_id);
    if (!id.valid()) return ParseStatus::kUnknownInstrument;
    lvl.hdr = detail::msg_header(MsgType::kBookLevel, id, e.ts_ms, recv_ns);
    lvl.hdr.flags = msg_flag::kLast;
    lvl.price = Price::from_raw(e.price);
    lvl.size = Qty::from_raw(e.size);
    lvl.side = e.side == Side::kBuy ? BookSide::kBid : BookSide::kAsk;
    sink.on_book_level(lvl);
    return ParseStatus::kOk;
  }
  std::size_t emitted = 0, unknown = 0;
  // Resolve every entry first, so an unknown-token entry does not leave a half-applied batch behind it.
  for (std::size_t i = 0; i < e.n_changes; ++i) {
    const Change& c = changes_[i];
    const std::string_view asset = c.asset.empty() ? e.asset_id : c.asset;
    if (asset.empty()) return ParseStatus::kMissingField;
  }
  for (std::size_t i = 0; i < e.n_changes; ++i) {
    const Change& c = changes_[i];
    const std::string_view asset = c.asset.empty() ? e.asset_id : c.asset;
    const InstrumentId id = resolve(asset);
    if (!id.valid()) {
      ++unknown;
      continue;
    }
    lvl.hdr = detail::msg_header(MsgType::kBookLevel, id, e.ts_ms, recv_ns);
    if (i + 1 == e.n_changes) lvl.hdr.flags = msg_flag::kLast;
    lvl.price = Price::from_raw(c.price);
    lvl.size = Qty::from_raw(c.size);
    lvl.side = c.side == Side::kBuy ? BookSide::kBid : BookSide::kAsk;
    lvl.has_top = c.has_top ? 1 : 0;
    lvl.msg_best_bid = Price::from_raw(c.best_bid);
    lvl.msg_best_ask = Price::from_raw(c.best_ask);
    sink.on_book_level(lvl);
    ++emitted;
  }
  if (emitted == 0 && unknown > 0) return ParseStatus::kUnknownInstrument;
  return ParseStatus::kOk;
}

ParseStatus PolymarketParser::parse_event(od::object& obj, std::int64_t recv_ns, MarketSink& sink, bool rest,
                                          HashCheckMode hash, FrameKind& kind) noexcept {
  Event e;
  kind = rest ? FrameKind::kRestBook : FrameKind::kUnknown;
  const ParseStatus st = read_fields(obj, e);
  if (!rest) {
    const std::string_view t = e.event_type;
    if (t == "book") kind = FrameKind::kBook;
    else if (t == "price_change") kind = FrameKind::kPriceChange;
    else if (t == "last_trade_price") kind = FrameKind::kLastTradePrice;
    else if (t == "tick_size_change") kind = FrameKind::kTickSizeChange;
    else if (t == "best_bid_ask") kind = FrameKind::kBestBidAsk;
    else if (t == "new_market") kind = FrameKind::kNewMarket;
    else if (t == "market_resolved") kind = FrameKind::kMarketResolved;
  }
  if (st != ParseStatus::kOk) return st;
  switch (kind) {
    case FrameKind::kRestBook:
    case FrameKind::kBook:
      if (!e.has_book) return ParseStatus::kMissingField;
      return emit_book(e, recv_ns, sink, rest, hash);
    case FrameKind::kPriceChange:
      return emit_changes(e, recv_ns, sink);
    case FrameKind::kLastTradePrice: {
      if (e.asset_id.empty() || !e.has_price || !e.has_size || !e.has_ts) return ParseStatus::kMissingField;
      const InstrumentId id = resolve(e.asset_id);
      if (!id.valid()) return ParseStatus::kUnknownInstrument;
      Trade t;
      t.hdr = detail::msg_header(MsgType::kTrade, id, e.ts_ms, recv_ns);
      t.price_raw = e.price;
      t.size_raw = e.size;
      t.fee_rate_bps = Usdc::from_raw(e.fee_rate_bps);
      t.aggressor = e.side;
      t.venue = Venue::kPolymarket;
      sink.on_trade(t);
      return ParseStatus::kOk;
    }
    case FrameKind::kTickSizeChange: {
      if (e.asset_id.empty() || !e.has_new_tick || !e.has_ts) return ParseStatus::kMissingField;
      const InstrumentId id = resolve(e.asset_id);
      if (!id.valid()) return ParseStatus::kUnknownInstrument;
      TickSizeChange m;
      m.hdr = detail::msg_header(MsgType::kTickSizeChange, id, e.ts_ms, recv_ns);
      m.old_tick = Price::from_raw(e.old_tick);
      m.new_tick = Price::from_raw(e.new_tick);
      sink.on_tick_size_change(m);
      return ParseStatus::kOk;
    }
    case FrameKind::kBestBidAsk: {
      if (e.asset_id.empty() || !e.has_best_bid || !e.has_best_ask) return ParseStatus::kMissingField;
      const InstrumentId id = resolve(e.asset_id);
      if (!id.valid()) return ParseStatus::kUnknownInstrument;
      QuoteEvent q{id, Price::from_raw(e.best_bid), Price::from_raw(e.best_ask), detail::ms_to_ns(e.ts_ms),
                   recv_ns};
      sink.on_quote(q);
      return ParseStatus::kOk;
    }
    case FrameKind::kNewMarket:
    case FrameKind::kMarketResolved: {
      MarketStatus m;
      m.hdr = detail::msg_header(MsgType::kMarketStatus, InstrumentId{}, e.ts_ms, recv_ns);
      m.kind = kind == FrameKind::kNewMarket ? MarketStatusKind::kNew : MarketStatusKind::kResolved;
      m.up_token = tokens_.find(e.tokens[0]);
      m.down_token = tokens_.find(e.tokens[1]);
      m.hdr.instrument = m.up_token;
      if (!e.winning_asset_id.empty()) {
        m.winner = e.winning_asset_id == e.tokens[0] ? 1 : (e.winning_asset_id == e.tokens[1] ? 2 : 0);
      }
      MarketInfo info;
      info.condition_id = e.condition_id.empty() ? e.market : e.condition_id;
      info.slug = e.slug;
      info.token_ids[0] = e.tokens[0];
      info.token_ids[1] = e.tokens[1];
      info.outcomes[0] = e.outcomes[0];
      info.outcomes[1] = e.outcomes[1];
      info.winning_asset_id = e.winning_asset_id;
      info.winning_outcome = e.winning_outcome;
      info.tick = Price::from_raw(e.min_tick);
      sink.on_market_status(m, info);
      return ParseStatus::kOk;
    }
    default:
      return ParseStatus::kIgnored;
  }
}

ParseStatus PolymarketParser::parse(std::string_view frame, std::int64_t recv_ns, MarketSink& sink) noexcept {
  return parse_in_place(frame, 0, recv_ns, sink);
}

ParseStatus PolymarketParser::parse_in_place(std::string_view frame, std::size_t readable_after, std::int64_t recv_ns,
                                             MarketSink& sink) noexcept {
  ++stats_.frames;
  stats_.bytes += frame.size();
  const char c = detail::first_byte(frame);
  if (c != '{' && c != '[') {
    stats_.count(FrameKind::kNonJson, ParseStatus::kIgnored);
    return ParseStatus::kIgnored;
  }
  od::document doc;
  const char* data = nullptr;
  if (!detail::start_document(parser_, input_, frame, readable_after, doc, data)) {
    stats_.count(FrameKind::kUnknown, ParseStatus::kMalformed);
    return ParseStatus::kMalformed;
  }
  doc_end_ = data + frame.size();
  FrameKind kind = FrameKind::kUnknown;
  if (c == '{') {
    od::object obj;
    if (doc.get_object().get(obj)) {
      stats_.count(kind, ParseStatus::kMalformed);
      return ParseStatus::kMalformed;
    }
    const ParseStatus st = parse_event(obj, recv_ns, sink, false, HashCheckMode::kOff, kind);
    stats_.count(kind, st);
    return st;
  }
  od::array arr;
  if (doc.get_array().get(arr)) {
    stats_.count(kind, ParseStatus::kMalformed);
    return ParseStatus::kMalformed;
  }
  ParseStatus worst = ParseStatus::kOk;
  for (auto el : arr) {
    od::object obj;
    if (el.get_object().get(obj)) {
      stats_.count(FrameKind::kUnknown, ParseStatus::kMalformed);
      return ParseStatus::kMalformed;
    }
    const ParseStatus st = parse_event(obj, recv_ns, sink, false, HashCheckMode::kOff, kind);
    stats_.count(kind, st);
    if (st == ParseStatus::kMalformed || st == ParseStatus::kBadNumber || st == ParseStatus::kMissingField ||
        st == ParseStatus::kTooLarge) {
      return st;  // the rest of the array cannot be trusted to be positioned correctly
    }
    if (worst == ParseStatus::kOk) worst = st;
  }
  return worst;
}

ParseStatus PolymarketParser::parse_rest_book(std::string_view body, std::int64_t recv_ns, MarketSink& sink,
                                              HashCheckMode hash) noexcept {
  ++stats_.frames;
  stats_.bytes += body.size();
  const char c = detail::first_byte(body);
  if (c != '{' && c != '[') {
    stats_.count(FrameKind::kRestBook, ParseStatus::kMalformed);
    return ParseStatus::kMalformed;
  }
  od::document doc;
  const char* data = nullptr;
  if (!detail::start_document(parser_, input_, body, 0, doc, data)) {
    stats_.count(FrameKind::kRestBook, ParseStatus::kMalformed);
    return ParseStatus::kMalformed;
  }
  doc_end_ = data + body.size();
  FrameKind kind = FrameKind::kRestBook;
  if (c == '{') {
    od::object obj;
    if (doc.get_object().get(obj)) {
      stats_.count(kind, ParseStatus::kMalformed);
      return ParseStatus::kMalformed;
    }
    const ParseStatus st = parse_event(obj, recv_ns, sink, true, hash, kind);
    stats_.count(kind, st);
    return st;
  }
  od::array arr;
  if (doc.get_array().get(arr)) {
    stats_.count(kind, ParseStatus::kMalformed);
    return ParseStatus::kMalformed;
  }
  for (auto el : arr) {
    od::object obj;
    if (el.get_object().get(obj)) {
      stats_.count(kind, ParseStatus::kMalformed);
      return ParseStatus::kMalformed;
    }
    const ParseStatus st = parse_event(obj, recv_ns, sink, true, hash, kind);
    stats_.count(kind, st);
    if (st != ParseStatus::kOk && st != ParseStatus::kUnknownInstrument) return st;
  }
  return ParseStatus::kOk;
}

bool PolymarketParser::hash_matches(const Event& e) {
  // Off the hot path (REST only): the rendering lives in a reused string.
  std::string& s = hash_text_;
  s.clear();
  const auto str = [&s](std::string_view v) {
    s += '"';
    s += v;
    s += '"';
  };
  const auto opt = [&](std::string_view v) {
    if (v.data() == nullptr) s += "null"; else str(v);
  };
  s += "{\"market\":";
  str(e.market);
  s += ",\"asset_id\":";
  str(e.asset_id);
  s += ",\"timestamp\":";
  str(e.timestamp_text);
  s += ",\"hash\":\"\",\"bids\":[";
  for (std::size_t i = 0; i < e.n_bids; ++i) {
    if (i) s += ',';
    s += "{\"price\":";
    str(bids_[i].price_text);
    s += ",\"size\":";
    str(bids_[i].size_text);
    s += '}';
  }
  s += "],\"asks\":[";
  for (std::size_t i = 0; i < e.n_asks; ++i) {
    if (i) s += ',';
    s += "{\"price\":";
    str(asks_[i].price_text);
    s += ",\"size\":";
    str(asks_[i].size_text);
    s += '}';
  }
  s += "],\"min_order_size\":";
  opt(e.min_order_size);
  s += ",\"tick_size\":";
  opt(e.tick_size);
  s += ",\"neg_risk\":";
  s += e.has_neg_risk ? (e.neg_risk ? "true" : "false") : "null";
  s += ",\"last_trade_price\":";
  opt(e.last_trade_price);
  s += '}';
  const std::string digest = polymarket_book_hash(s);
  std::string_view h = e.hash;
  if (h.size() >= 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X')) h.remove_prefix(2);
  return digest == h;
}

std::string polymarket_book_hash(std::string_view rendering) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(rendering.data(), rendering.size(), md, &len, EVP_sha1(), nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(static_cast<std::size_t>(len) * 2, '0');
  for (unsigned int i = 0; i < len; ++i) {
    out[2 * i] = kHex[md[i] >> 4];
    out[2 * i + 1] = kHex[md[i] & 15];
  }
  return out;
}

}  // namespace polybot::feed
