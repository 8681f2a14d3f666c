// PolymarketParser: Polymarket market-channel frames and REST /book responses -> messages on a MarketSink.
// A frame is one JSON object or an array of them; events `book`, `price_change` (the batched `price_changes[]`
// shape and both legacy shapes: `changes[]` and flat price/side/size), `last_trade_price`, `tick_size_change`,
// `best_bid_ask`, `new_market`, `market_resolved`. Non-JSON text frames (PONG, NO NEW ASSETS) are ignored.
// Each event is decoded completely into preallocated scratch before anything reaches the sink, so a malformed
// event emits nothing. One parser per thread, reused for life; allocates in the constructor (and only grows for
// a frame larger than any before). Never throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "feed/instrument_table.hpp"
#include "feed/parse/json_support.hpp"
#include "feed/parse/market_sink.hpp"
#include "feed/parse/parse_status.hpp"
#include "feed/parse/structural_indexer.hpp"

namespace polybot::feed {

// The REST /book content hash (sha1 over a compact JSON rendering, docs/BOOK.md) cannot be reproduced on the
// real captures we hold, so whether it is checked, and what a mismatch does, is configuration.
enum class HashCheckMode : std::uint8_t { kOff = 0, kDiagnostic = 1, kEnforce = 2 };

class PolymarketParser {
 public:
  static constexpr std::size_t kMaxLevels = 10001;   // one per 0.0001 tick per side
  static constexpr std::size_t kMaxChanges = 8192;   // entries of one price_change batch

  explicit PolymarketParser(InstrumentTable& tokens, std::size_t max_frame = 1u << 20,
                            json::Stage1 stage1 = json::Stage1::kPolybot);

  // One WebSocket text frame. recv_ns: when its bytes arrived (our clock).
  ParseStatus parse(std::string_view frame, std::int64_t recv_ns, MarketSink& sink) noexcept;
  // The same, without copying the frame when `readable_after` >= SIMDJSON_PADDING (64) readable bytes follow it
  // (net::WsFrame guarantees net::kFramePadding): simdjson reads it where it lies.
  ParseStatus parse_in_place(std::string_view frame, std::size_t readable_after, std::int64_t recv_ns,
                             MarketSink& sink) noexcept;
  // A REST GET /book response (one OrderBookSummary object) or POST /books (an array of them).
  ParseStatus parse_rest_book(std::string_view body, std::int64_t recv_ns, MarketSink& sink,
                              HashCheckMode hash = HashCheckMode::kDiagnostic) noexcept;

  [[nodiscard]] const ParseStats& stats() const noexcept { return stats_; }
  [[nodiscard]] ParseStats& stats() noexcept { return stats_; }

 private:
  struct LevelText {  // the received strings of a level (the REST book hash is computed over them)
    std::string_view price, size;
  };
  struct Change {
    std::string_view asset;  // raw (escapes not decoded): see resolve_raw()
    std::int64_t price = 0, size = 0, best_bid = 0, best_ask = 0;
    Side side = Side::kBuy;
    bool has_top = false;
    InstrumentId id{};  // resolved in emit_changes
  };
  // Fields only the rarer events carry: kept in the parser (cold_) and reset only after an event wrote one, so a
  // price_change or book does not pay for clearing them.
  struct ColdFields {
    std::string_view slug, condition_id, winning_asset_id, winning_outcome;  // raw, as Event's strings
    std::string_view min_order_size, tick_size, last_trade_price;
    std::string_view tokens[2], outcomes[2];
    std::int64_t old_tick = 0, new_tick = 0, fee_rate_bps = 0, min_tick = 0;
    bool has_old_tick = false, has_new_tick = false, neg_risk = false, has_neg_risk = false;
  };
  struct Event {
    // Raw string bodies, escapes not decoded until a message needs them (decode_strings(), resolve_raw()): a
    // price_change never looks at `market`, so it costs nothing.
    std::string_view event_type, asset_id, market, hash;
    std::string_view timestamp_text;
    std::int64_t ts_ms = 0, price = 0, size = 0, best_bid = 0, best_ask = 0;
    std::size_t n_bids = 0, n_asks = 0, n_changes = 0;
    Side side = Side::kBuy;
    bool has_ts = false, has_price = false, has_size = false, has_side = false, has_best_bid = false,
         has_best_ask = false, has_changes = false, has_legacy_changes = false, has_book = false;
  };
  ColdFields& cold_w() noexcept {  // for writing: marks cold_ for clearing before the next event
    cold_dirty_ = true;
    return cold_;
  }

  // The hot shape, one flat pass: a single price_change object with exactly the keys event_type, market,
  // timestamp and price_changes, entries with plain (unescaped) decimals, side and token id. Emits and returns
  // kDone (status in st) for it; anything else returns without emitting or counting: kOtherShape leaves the
  // document usable after a rewind, kJsonError means simdjson reported an error (the caller starts over).
  using Fast = detail::FastPath;
  Fast fast_price_change(detail::od::document& doc, std::int64_t recv_ns, MarketSink& sink, ParseStatus& st) noexcept;
  ParseStatus parse_event(detail::od::object& obj, std::int64_t recv_ns, MarketSink& sink, bool rest,
                          HashCheckMode hash, FrameKind& kind) noexcept;
  ParseStatus read_fields(detail::od::object& obj, Event& e) noexcept;
  ParseStatus read_levels(detail::od::value& v, std::vector<SnapshotLevel>& out, std::vector<LevelText>& text,
                          std::size_t& n) noexcept;
  ParseStatus read_changes(detail::od::value& v, Event& e, bool legacy) noexcept;
  ParseStatus emit_book(const Event& e, std::int64_t recv_ns, MarketSink& sink, bool rest, HashCheckMode hash);
  ParseStatus emit_changes(const Event& e, std::int64_t recv_ns, MarketSink& sink) noexcept;
  // The first n entries of changes_ (an entry without asset_id names default_asset).
  ParseStatus emit_batch(std::size_t n, std::string_view default_asset, std::int64_t ts_ms, std::int64_t recv_ns,
                         MarketSink& sink) noexcept;
  bool hash_matches(const Event& e);
  // The id of a token given as a raw string body. Escape-free texts equal to a recently seen key skip both the
  // escape check and the hashing; anything else is decoded first. Sets bad_escape_ if it cannot be decoded.
  [[gnu::always_inline]] InstrumentId resolve_raw(std::string_view raw) noexcept {
    for (const InstrumentId cached : recent_) {
      if (cached.valid() && detail::same_text(tokens_.key_of(cached), raw)) return cached;
    }
    return resolve_slow(raw);
  }
  InstrumentId resolve_slow(std::string_view raw) noexcept;
  // `raw` decoded (itself when it has no backslash, else unescaped into unescaped_); false on a bad escape.
  bool decoded(std::string_view raw, std::string_view& out) noexcept;
  bool decode_strings(Event& e) noexcept;  // every raw string field of e, for the rarer events
  // A decimal token: detail::plain_fixed_token inline, else (escapes, or not a decimal) the cold escaped_fixed.
  [[gnu::always_inline]] bool fixed(std::string_view t, int decimals, std::string_view& text,
                                    std::int64_t& out) noexcept {
    return detail::plain_fixed_token(t, decimals, false, text, out) || escaped_fixed(t, decimals, text, out);
  }
  [[gnu::always_inline]] bool fixed(std::string_view t, int decimals, std::int64_t& out) noexcept {
    std::string_view text;
    return fixed(t, decimals, text, out);
  }
  bool escaped_fixed(std::string_view t, int decimals, std::string_view& text, std::int64_t& out) noexcept;
  void begin_frame(std::size_t size);

  InstrumentTable& tokens_;
  detail::PaddedBuffer input_;
  const char* doc_end_ = nullptr;  // end of the frame being parsed (SIMDJSON_PADDING readable bytes follow)
  simdjson::ondemand::parser parser_;
  std::vector<SnapshotLevel> bids_, asks_;  // a book's levels, handed to the sink one side at a time
  std::vector<LevelText> bid_text_, ask_text_;
  std::vector<Change> changes_;
  InstrumentId recent_[2]{};  // the last two tokens resolved whose keys have no backslash (see resolve_raw())
  std::vector<std::uint8_t> unescaped_;  // decoded strings of the current frame (frame size + padding)
  std::size_t unescaped_used_ = 0;
  bool bad_escape_ = false;
  ColdFields cold_;
  bool cold_dirty_ = false;
  // Messages handed to the sink, reused: every field that varies is set before each call, the rest stays zero. A
  // fresh 128-byte message per call costs a `rep stos` and store-forwarding stalls (~40 ns per price_change).
  BookLevel change_level_{};
  BookLevel snapshot_level_{};
  BookSnapshot snapshot_{};
  std::string hash_text_;  // REST only: the rendering the book hash is computed over
  ParseStats stats_;
};

// Book hash of a REST /book summary as the official client computes it: sha1 of the compact JSON
// {"market","asset_id","timestamp","hash":"","bids":[{"price","size"}...],"asks":[...],"min_order_size",
// "tick_size","neg_risk","last_trade_price"} with the received strings. Exposed for tests; 40 hex chars.
std::string polymarket_book_hash(std::string_view rendering);

}  // namespace polybot::feed
