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

// The side compared as it lies in the input; only a text with escapes is decoded first.
[[gnu::always_inline]] inline bool side_from_token(od::value& v, std::string_view tok, Side& out) noexcept {
  std::string_view s;
  if (!detail::raw_string(tok, s)) return false;
  if (side_from_text(s, out)) return true;
  return detail::has_backslash(s) && !v.get_string().get(s) && side_from_text(s, out);
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

FrameKind kind_of(std::string_view t) noexcept {
  if (t == "price_change") return FrameKind::kPriceChange;
  if (t == "book") return FrameKind::kBook;
  if (t == "last_trade_price") return FrameKind::kLastTradePrice;
  if (t == "tick_size_change") return FrameKind::kTickSizeChange;
  if (t == "best_bid_ask") return FrameKind::kBestBidAsk;
  if (t == "new_market") return FrameKind::kNewMarket;
  if (t == "market_resolved") return FrameKind::kMarketResolved;
  return FrameKind::kUnknown;
}

}  // namespace

// resolve_raw (inline) first re-checks the last two hits against the table's own key: a batch names the same one
// or two tokens over and over, so one compare replaces the hashing, and it stays correct whatever the table does
// with its ids. Those keys have no backslash, so a raw text equal to one has none either and is its own decoding.
InstrumentId PolymarketParser::resolve_slow(std::string_view raw) noexcept {
  std::string_view key;
  if (!decoded(raw, key)) {
    bad_escape_ = true;
    return {};
  }
  const InstrumentId id = tokens_.resolve(key);
  if (id.valid() && id != recent_[0] && key.find('\\') == std::string_view::npos) {
    recent_[1] = recent_[0];
    recent_[0] = id;
  }
  return id;
}

bool PolymarketParser::decoded(std::string_view raw, std::string_view& out) noexcept {
  if (raw.empty() || !detail::has_backslash(raw)) {  // empty: also an absent field (null data) stays as it is
    out = raw;
    return true;
  }
  // Decoded text is never longer than its raw form, so the frame-sized buffer always has room.
  std::uint8_t* dst = unescaped_.data() + unescaped_used_;
  if (!detail::unescape_raw(parser_, raw, dst, out)) return false;
  unescaped_used_ = static_cast<std::size_t>(dst - unescaped_.data());
  return true;
}

bool PolymarketParser::decode_strings(Event& e) noexcept {
  // asset_id stays raw: it is resolved with resolve_raw (and hash_matches decodes its own copy).
  for (std::string_view* f : {&e.event_type, &e.market, &e.hash, &cold_.slug, &cold_.condition_id,
                              &cold_.winning_asset_id, &cold_.winning_outcome}) {
    if (!decoded(*f, *f)) return false;
  }
  return true;
}

[[gnu::noinline, gnu::cold]] bool PolymarketParser::escaped_fixed(std::string_view t, int decimals,
                                                                  std::string_view& text,
                                                                  std::int64_t& out) noexcept {
  // Only an escaped string ("0.\u0035") can still be a decimal: decode it and try once more.
  std::string_view raw;
  if (!detail::raw_string(t, raw) || !detail::has_backslash(raw) || !decoded(raw, text)) return false;
  return parse_fixed(text, decimals, false, out);
}

void PolymarketParser::begin_frame(std::size_t size) {
  unescaped_used_ = 0;
  bad_escape_ = false;
  // Only a frame larger than any before allocates (as the input buffer does).
  if (unescaped_.size() < size + simdjson::SIMDJSON_PADDING) unescaped_.resize(size + simdjson::SIMDJSON_PADDING);
}

PolymarketParser::PolymarketParser(InstrumentTable& tokens, std::size_t max_frame, json::Stage1 stage1)
    : tokens_(tokens),
      input_(max_frame),
      bids_(kMaxLevels),
      asks_(kMaxLevels),
      bid_text_(kMaxLevels),
      ask_text_(kMaxLevels),
      changes_(kMaxChanges),
      unescaped_(max_frame + simdjson::SIMDJSON_PADDING) {
  // Grows later if a frame needs it (keeping the stage 1 chosen here).
  [[maybe_unused]] const auto reserved = json::allocate_parser(parser_, max_frame, stage1);
}

ParseStatus PolymarketParser::read_levels(od::value& v, std::vector<SnapshotLevel>& out,
                                         std::vector<LevelText>& text, std::size_t& n) noexcept {
  od::array arr;
  if (v.get_array().get(arr)) return ParseStatus::kMalformed;
  n = 0;
  for (auto el : arr) {
    od::object lvl;
    if (el.get_object().get(lvl)) return ParseStatus::kMalformed;
    if (n >= out.size()) return ParseStatus::kTooLarge;
    SnapshotLevel& l = out[n];
    LevelText& t = text[n];
    bool has_p = false, has_s = false;
    for (auto f : lvl) {
      if (f.error()) return ParseStatus::kMalformed;
      od::field& fld = f.value_unsafe();  // by reference: a copy costs a store-forwarding stall
      const char* const key = fld.key().raw();
      if (detail::raw_key_is(key, "price")) {
        if (!fixed(detail::token(fld.value()), kPx, t.price, l.price.raw)) return ParseStatus::kBadNumber;
        has_p = true;
      } else if (detail::raw_key_is(key, "size")) {
        if (!fixed(detail::token(fld.value()), kQ, t.size, l.size.raw)) return ParseStatus::kBadNumber;
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
            if (!fixed(detail::token(val), kQ, c.size)) return ParseStatus::kBadNumber;
            has_s = true;
          } else if (raw_key_is(key, "side")) {
            if (!side_from_token(val, detail::token(val), c.side)) return ParseStatus::kMalformed;
            has_side = true;
          }
          break;
        case 'p':
          if (raw_key_is(key, "price")) {
            if (!fixed(detail::token(val), kPx, c.price)) return ParseStatus::kBadNumber;
            has_p = true;
          }
          break;
        case 'a':
          if (raw_key_is(key, "asset_id")) {
            if (!detail::raw_string(detail::token(val), c.asset)) return ParseStatus::kMalformed;
          }
          break;
        case 'b':
          if (raw_key_is(key, "best_bid")) {
            if (!fixed(detail::token(val), kPx, c.best_bid)) {
              return ParseStatus::kBadNumber;
            }
            has_bb = true;
          } else if (raw_key_is(key, "best_ask")) {
            if (!fixed(detail::token(val), kPx, c.best_ask)) {
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
    const auto str = [&](std::string_view& out) {  // raw: decoded when used (see Event)
      return detail::raw_string(detail::token(v), out) ? ParseStatus::kOk : ParseStatus::kMalformed;
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
          st = read_levels(v, asks_, ask_text_, e.n_asks);
          e.has_book = true;
        } else if (raw_key_is(key, "assets_ids")) {
          st = pair(cold_w().tokens);
        }
        break;
      case 'b':
        if (raw_key_is(key, "bids") || raw_key_is(key, "buys")) {
          st = read_levels(v, bids_, bid_text_, e.n_bids);
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
          st = pair(cold_w().tokens);
        } else if (raw_key_is(key, "condition_id")) {
          st = str(cold_w().condition_id);
        }
        break;
      case 'e':
        if (raw_key_is(key, "event_type")) st = str(e.event_type);
        break;
      case 'f':
        if (raw_key_is(key, "fee_rate_bps")) {
          std::string_view s;
          if (!detail::scalar_from_token(v, detail::token(v), s)) return ParseStatus::kBadNumber;
          // "" since V2
          if (!s.empty() && !parse_fixed(s, 0, false, cold_w().fee_rate_bps)) return ParseStatus::kBadNumber;
        }
        break;
      case 'h':
        if (raw_key_is(key, "hash")) st = str(e.hash);
        break;
      case 'l':
        if (raw_key_is(key, "last_trade_price")) st = scalar(cold_w().last_trade_price);
        break;
      case 'm':
        if (raw_key_is(key, "market")) {
          st = str(e.market);
        } else if (raw_key_is(key, "min_order_size")) {
          st = scalar(cold_w().min_order_size);
        }
        break;
      case 'n':
        if (raw_key_is(key, "new_tick_size")) {
          st = px(cold_w().new_tick, cold_w().has_new_tick);
        } else if (raw_key_is(key, "neg_risk")) {
          bool b = false;
          if (v.get_bool().get(b)) return ParseStatus::kMalformed;
          cold_w().neg_risk = b;
          cold_w().has_neg_risk = true;
        }
        break;
      case 'o':
        if (raw_key_is(key, "old_tick_size")) {
          st = px(cold_w().old_tick, cold_w().has_old_tick);
        } else if (raw_key_is(key, "outcomes")) {
          st = pair(cold_w().outcomes);
        } else if (raw_key_is(key, "order_price_min_tick_size")) {
          bool unused = false;
          st = px(cold_w().min_tick, unused);
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
          st = read_levels(v, asks_, ask_text_, e.n_asks);
          e.has_book = true;
        } else if (raw_key_is(key, "slug")) {
          st = str(cold_w().slug);
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
          st = scalar(cold_w().tick_size);
        }
        break;
      case 'w':
        if (raw_key_is(key, "winning_asset_id")) {
          st = str(cold_w().winning_asset_id);
        } else if (raw_key_is(key, "winning_outcome")) {
          st = str(cold_w().winning_outcome);
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
  const InstrumentId id = resolve_raw(e.asset_id);
  if (bad_escape_) return ParseStatus::kMalformed;
  if (!id.valid()) return ParseStatus::kUnknownInstrument;
  std::string_view hash_text;
  if (!decoded(e.hash, hash_text)) return ParseStatus::kMalformed;
  BookSnapshot& snap = snapshot_;  // reused: every varying field is set here
  detail::set_header(snap.hdr, MsgType::kBookSnapshot, id, e.ts_ms, recv_ns);
  snap.hdr.flags = 0;
  snap.bid_levels = static_cast<std::uint32_t>(e.n_bids);
  snap.ask_levels = static_cast<std::uint32_t>(e.n_asks);
  snap.hash_prefix = hash_prefix(hash_text);
  snap.venue = Venue::kPolymarket;
  snap.from_rest = rest ? 1 : 0;
  snap.hash_check = 0;
  if (rest && hash != HashCheckMode::kOff && !e.hash.empty()) snap.hash_check = hash_matches(e) ? 1 : 2;
  snap.phase = SnapshotPhase::kBegin;
  sink.on_book_snapshot(snap);
  BookLevel& lvl = snapshot_level_;  // the prototype of every level (price and size come with each one)
  detail::set_header(lvl.hdr, MsgType::kBookLevel, id, e.ts_ms, recv_ns);
  lvl.hdr.flags = msg_flag::kSnapshot;
  lvl.venue = Venue::kPolymarket;
  lvl.side = BookSide::kBid;
  sink.on_book_snapshot_side(lvl, {bids_.data(), e.n_bids});
  lvl.side = BookSide::kAsk;
  sink.on_book_snapshot_side(lvl, {asks_.data(), e.n_asks});
  snap.phase = SnapshotPhase::kEnd;
  snap.hdr.flags = msg_flag::kLast;
  sink.on_book_snapshot(snap);
  return ParseStatus::kOk;
}

ParseStatus PolymarketParser::emit_changes(const Event& e, std::int64_t recv_ns, MarketSink& sink) noexcept {
  if (!e.has_ts) return ParseStatus::kMissingField;
  if (!e.has_changes && !e.has_legacy_changes) {
    // Flat legacy shape: one level at the top level of the event.
    BookLevel lvl;
    lvl.venue = Venue::kPolymarket;
    if (!e.has_price || !e.has_size || !e.has_side || e.asset_id.empty()) return ParseStatus::kMissingField;
    const InstrumentId id = resolve_raw(e.asset_id);
    if (bad_escape_) return ParseStatus::kMalformed;
    if (!id.valid()) return ParseStatus::kUnknownInstrument;
    lvl.hdr = detail::msg_header(MsgType::kBookLevel, id, e.ts_ms, recv_ns);
    lvl.hdr.flags = msg_flag::kLast;
    lvl.price = Price::from_raw(e.price);
    lvl.size = Qty::from_raw(e.size);
    lvl.side = e.side == Side::kBuy ? BookSide::kBid : BookSide::kAsk;
    sink.on_book_level(lvl);
    return ParseStatus::kOk;
  }
  return emit_batch(e.n_changes, e.asset_id, e.ts_ms, recv_ns, sink);
}

ParseStatus PolymarketParser::emit_batch(std::size_t n, std::string_view default_asset, std::int64_t ts_ms,
                                         std::int64_t recv_ns, MarketSink& sink) noexcept {
  std::size_t emitted = 0, unknown = 0;
  // Resolve every entry first, so a missing or undecodable token leaves no half-applied batch behind it.
  for (std::size_t i = 0; i < n; ++i) {
    Change& c = changes_[i];
    const std::string_view asset = c.asset.empty() ? default_asset : c.asset;
    if (asset.empty()) return ParseStatus::kMissingField;
    c.id = resolve_raw(asset);
  }
  if (bad_escape_) return ParseStatus::kMalformed;
  BookLevel& lvl = change_level_;  // reused: every varying field is set below
  lvl.venue = Venue::kPolymarket;
  for (std::size_t i = 0; i < n; ++i) {
    const Change& c = changes_[i];
    const InstrumentId id = c.id;
    if (!id.valid()) {
      ++unknown;
      continue;
    }
    detail::set_header(lvl.hdr, MsgType::kBookLevel, id, ts_ms, recv_ns);
    lvl.hdr.flags = i + 1 == n ? msg_flag::kLast : 0;
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

// flatten: with everything inlined GCC keeps simdjson's field and value iterators in registers; called apart, each
// field is built in memory and read back wider than written (a store-forwarding stall per field, ~30 ns a frame).
[[gnu::flatten]] PolymarketParser::Fast PolymarketParser::fast_price_change(od::document& doc, std::int64_t recv_ns,
                                                                            MarketSink& sink,
                                                                            ParseStatus& st) noexcept {
  // Same reading as read_fields + read_changes for this shape (same keys, same decimal reader, last duplicate
  // wins), minus the generality: the first thing outside the shape hands the frame to the general reader.
  using detail::raw_key_is;
  od::object obj;
  if (doc.get_object().get(obj)) return Fast::kJsonError;
  std::int64_t ts_ms = 0;
  std::size_t n_changes = 0;
  bool has_changes = false, has_ts = false, is_price_change = false;
  std::string_view text;
  for (auto f : obj) {
    if (f.error()) return Fast::kJsonError;
    od::field& fld = f.value_unsafe();
    const char* const key = fld.key().raw();
    od::value& v = fld.value();
    if (raw_key_is(key, "price_changes")) {
      if (has_changes) return Fast::kOtherShape;
      od::array arr;
      if (v.get_array().get(arr)) return Fast::kJsonError;
      std::size_t n = 0;
      for (auto el : arr) {
        od::object entry;
        if (el.get_object().get(entry)) return Fast::kJsonError;
        if (n >= changes_.size()) return Fast::kOtherShape;
        Change& c = changes_[n];
        c = Change{};
        bool has_p = false, has_s = false, has_side = false, has_bb = false, has_ba = false;
        for (auto g : entry) {
          if (g.error()) return Fast::kJsonError;
          od::field& f2 = g.value_unsafe();
          const char* const k = f2.key().raw();
          const std::string_view t = detail::token(f2.value());
          bool ok = true;
          switch (k[0]) {
            case 'a':
              if (raw_key_is(k, "asset_id")) ok = detail::raw_string(t, c.asset);
              break;
            case 'p':
              if (raw_key_is(k, "price")) ok = has_p = detail::plain_fixed_token(t, kPx, false, text, c.price);
              break;
            case 's':
              if (raw_key_is(k, "size")) {
                ok = has_s = detail::plain_fixed_token(t, kQ, false, text, c.size);
              } else if (raw_key_is(k, "side")) {
                std::string_view side;
                ok = has_side = detail::raw_string(t, side) && side_from_text(side, c.side);
              }
              break;
            case 'b':
              if (raw_key_is(k, "best_bid")) {
                ok = has_bb = detail::plain_fixed_token(t, kPx, false, text, c.best_bid);
              } else if (raw_key_is(k, "best_ask")) {
                ok = has_ba = detail::plain_fixed_token(t, kPx, false, text, c.best_ask);
              }
              break;
            default:
              break;
          }
          if (!ok) return Fast::kOtherShape;  // escapes, number errors: the general reader decides
        }
        if (!has_p || !has_s || !has_side || c.asset.empty()) return Fast::kOtherShape;
        c.has_top = has_bb && has_ba;
        ++n;
      }
      n_changes = n;
      has_changes = true;
    } else if (raw_key_is(key, "timestamp")) {
      if (!detail::plain_fixed_token(detail::token(v), 0, false, text, ts_ms) ||
          ts_ms > INT64_MAX / detail::kNsPerMs) {
        return Fast::kOtherShape;
      }
      has_ts = true;
    } else if (raw_key_is(key, "event_type")) {
      is_price_change = detail::key_is(detail::token(v), "\"price_change\"");
      if (!is_price_change) return Fast::kOtherShape;
    } else if (raw_key_is(key, "market")) {
      // Unused here, but the general reader requires a string: "market":d0"x" (one scalar token to simdjson's
      // stage 1) must not pass the fast path alone (found by the differential fuzzer).
      std::string_view market;
      if (!detail::raw_string(detail::token(v), market)) return Fast::kOtherShape;
    } else {
      return Fast::kOtherShape;
    }
  }
  if (!is_price_change || !has_changes || !has_ts) return Fast::kOtherShape;
  st = emit_batch(n_changes, {}, ts_ms, recv_ns, sink);
  return Fast::kDone;
}

ParseStatus PolymarketParser::parse_event(od::object& obj, std::int64_t recv_ns, MarketSink& sink, bool rest,
                                          HashCheckMode hash, FrameKind& kind) noexcept {
  Event e;
  if (cold_dirty_) {
    cold_ = ColdFields{};
    cold_dirty_ = false;
  }
  kind = rest ? FrameKind::kRestBook : FrameKind::kUnknown;
  const ParseStatus st = read_fields(obj, e);
  if (!rest) {
    kind = kind_of(e.event_type);  // as it lies in the input; only an escaped name is decoded first
    std::string_view t;
    if (kind == FrameKind::kUnknown && !e.event_type.empty() && detail::has_backslash(e.event_type) &&
        decoded(e.event_type, t)) {
      kind = kind_of(t);
    }
  }
  if (st != ParseStatus::kOk) return st;
  // The hot events use their strings raw (resolve_raw decodes a token id only if it must); the rest decode all.
  if (kind != FrameKind::kPriceChange && kind != FrameKind::kBook && !decode_strings(e)) return ParseStatus::kMalformed;
  switch (kind) {
    case FrameKind::kRestBook:
    case FrameKind::kBook:
      if (!e.has_book) return ParseStatus::kMissingField;
      return emit_book(e, recv_ns, sink, rest, hash);
    case FrameKind::kPriceChange:
      return emit_changes(e, recv_ns, sink);
    case FrameKind::kLastTradePrice: {
      if (e.asset_id.empty() || !e.has_price || !e.has_size || !e.has_ts) return ParseStatus::kMissingField;
      const InstrumentId id = resolve_raw(e.asset_id);
      if (bad_escape_) return ParseStatus::kMalformed;
      if (!id.valid()) return ParseStatus::kUnknownInstrument;
      Trade t;
      t.hdr = detail::msg_header(MsgType::kTrade, id, e.ts_ms, recv_ns);
      t.price_raw = e.price;
      t.size_raw = e.size;
      t.fee_rate_bps = Usdc::from_raw(cold_.fee_rate_bps);
      t.aggressor = e.side;
      t.venue = Venue::kPolymarket;
      sink.on_trade(t);
      return ParseStatus::kOk;
    }
    case FrameKind::kTickSizeChange: {
      if (e.asset_id.empty() || !cold_.has_new_tick || !e.has_ts) return ParseStatus::kMissingField;
      const InstrumentId id = resolve_raw(e.asset_id);
      if (bad_escape_) return ParseStatus::kMalformed;
      if (!id.valid()) return ParseStatus::kUnknownInstrument;
      TickSizeChange m;
      m.hdr = detail::msg_header(MsgType::kTickSizeChange, id, e.ts_ms, recv_ns);
      m.old_tick = Price::from_raw(cold_.old_tick);
      m.new_tick = Price::from_raw(cold_.new_tick);
      sink.on_tick_size_change(m);
      return ParseStatus::kOk;
    }
    case FrameKind::kBestBidAsk: {
      if (e.asset_id.empty() || !e.has_best_bid || !e.has_best_ask) return ParseStatus::kMissingField;
      const InstrumentId id = resolve_raw(e.asset_id);
      if (bad_escape_) return ParseStatus::kMalformed;
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
      m.up_token = tokens_.find(cold_.tokens[0]);
      m.down_token = tokens_.find(cold_.tokens[1]);
      m.hdr.instrument = m.up_token;
      if (!cold_.winning_asset_id.empty()) {
        m.winner = cold_.winning_asset_id == cold_.tokens[0] ? 1 : (cold_.winning_asset_id == cold_.tokens[1] ? 2 : 0);
      }
      MarketInfo info;
      info.condition_id = cold_.condition_id.empty() ? e.market : cold_.condition_id;
      info.slug = cold_.slug;
      info.token_ids[0] = cold_.tokens[0];
      info.token_ids[1] = cold_.tokens[1];
      info.outcomes[0] = cold_.outcomes[0];
      info.outcomes[1] = cold_.outcomes[1];
      info.winning_asset_id = cold_.winning_asset_id;
      info.winning_outcome = cold_.winning_outcome;
      info.tick = Price::from_raw(cold_.min_tick);
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
  begin_frame(frame.size());
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
    ParseStatus fast_st = ParseStatus::kOk;
    const Fast fast = fast_price_change(doc, recv_ns, sink, fast_st);
    if (fast == Fast::kDone) {
      stats_.count(FrameKind::kPriceChange, fast_st);
      return fast_st;
    }
    if (!detail::resume_after_fast_path(fast, parser_, input_, frame, readable_after, doc, data)) {
      stats_.count(FrameKind::kUnknown, ParseStatus::kMalformed);
      return ParseStatus::kMalformed;
    }
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
  begin_frame(body.size());
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
  std::string_view asset;
  str(decoded(e.asset_id, asset) ? asset : e.asset_id);
  s += ",\"timestamp\":";
  str(e.timestamp_text);
  s += ",\"hash\":\"\",\"bids\":[";
  for (std::size_t i = 0; i < e.n_bids; ++i) {
    if (i) s += ',';
    s += "{\"price\":";
    str(bid_text_[i].price);
    s += ",\"size\":";
    str(bid_text_[i].size);
    s += '}';
  }
  s += "],\"asks\":[";
  for (std::size_t i = 0; i < e.n_asks; ++i) {
    if (i) s += ',';
    s += "{\"price\":";
    str(ask_text_[i].price);
    s += ",\"size\":";
    str(ask_text_[i].size);
    s += '}';
  }
  s += "],\"min_order_size\":";
  opt(cold_.min_order_size);
  s += ",\"tick_size\":";
  opt(cold_.tick_size);
  s += ",\"neg_risk\":";
  s += cold_.has_neg_risk ? (cold_.neg_risk ? "true" : "false") : "null";
  s += ",\"last_trade_price\":";
  opt(cold_.last_trade_price);
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
