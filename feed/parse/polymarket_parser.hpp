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

namespace polybot::feed {

// The REST /book content hash (sha1 over a compact JSON rendering, docs/BOOK.md) cannot be reproduced on the
// real captures we hold, so whether it is checked, and what a mismatch does, is configuration.
enum class HashCheckMode : std::uint8_t { kOff = 0, kDiagnostic = 1, kEnforce = 2 };

class PolymarketParser {
 public:
  static constexpr std::size_t kMaxLevels = 10001;   // one per 0.0001 tick per side
  static constexpr std::size_t kMaxChanges = 8192;   // entries of one price_change batch

  explicit PolymarketParser(InstrumentTable& tokens, std::size_t max_frame = 1u << 20);

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
  struct Level {
    std::string_view price_text, size_text;
    std::int64_t price, size;
  };
  struct Change {
    std::string_view asset;
    std::int64_t price = 0, size = 0, best_bid = 0, best_ask = 0;
    Side side = Side::kBuy;
    bool has_top = false;
  };
  struct Event {
    std::string_view event_type, asset_id, market, hash, slug, condition_id, winning_asset_id, winning_outcome;
    std::string_view timestamp_text, min_order_size, tick_size, last_trade_price;
    std::string_view tokens[2], outcomes[2];
    std::int64_t ts_ms = 0, price = 0, size = 0, best_bid = 0, best_ask = 0, old_tick = 0, new_tick = 0;
    std::int64_t fee_rate_bps = 0, min_tick = 0;
    std::size_t n_bids = 0, n_asks = 0, n_changes = 0;
    Side side = Side::kBuy;
    bool has_ts = false, has_price = false, has_size = false, has_side = false, has_best_bid = false,
         has_best_ask = false, has_changes = false, has_legacy_changes = false, has_old_tick = false,
         has_new_tick = false, has_book = false, neg_risk = false, has_neg_risk = false;
  };

  ParseStatus parse_event(detail::od::object& obj, std::int64_t recv_ns, MarketSink& sink, bool rest,
                          HashCheckMode hash, FrameKind& kind) noexcept;
  ParseStatus read_fields(detail::od::object& obj, Event& e) noexcept;
  ParseStatus read_levels(detail::od::value& v, std::vector<Level>& out, std::size_t& n) noexcept;
  ParseStatus read_changes(detail::od::value& v, Event& e, bool legacy) noexcept;
  ParseStatus emit_book(const Event& e, std::int64_t recv_ns, MarketSink& sink, bool rest, HashCheckMode hash);
  ParseStatus emit_changes(const Event& e, std::int64_t recv_ns, MarketSink& sink) noexcept;
  bool hash_matches(const Event& e);
  InstrumentId resolve(std::string_view key) noexcept;

  InstrumentTable& tokens_;
  detail::PaddedBuffer input_;
  const char* doc_end_ = nullptr;  // end of the frame being parsed (SIMDJSON_PADDING readable bytes follow)
  simdjson::ondemand::parser parser_;
  std::vector<Level> bids_, asks_;
  std::vector<Change> changes_;
  InstrumentId recent_[2]{};  // the last two tokens resolved (see resolve())
  std::string hash_text_;  // REST only: the rendering the book hash is computed over
  ParseStats stats_;
};

// Book hash of a REST /book summary as the official client computes it: sha1 of the compact JSON
// {"market","asset_id","timestamp","hash":"","bids":[{"price","size"}...],"asks":[...],"min_order_size",
// "tick_size","neg_risk","last_trade_price"} with the received strings. Exposed for tests; 40 hex chars.
std::string polymarket_book_hash(std::string_view rendering);

}  // namespace polybot::feed
