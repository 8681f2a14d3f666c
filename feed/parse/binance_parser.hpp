// BinanceParser: Binance spot/futures market data -> messages on a MarketSink. Combined-stream envelopes
// {"stream":"<symbol>@<kind>","data":{...}} for bookTicker, aggTrade, trade, diff depth (@depth, @depth@100ms,
// @depth@0ms), partial depth (@depth5/10/20[@100ms]) and kline_<i>; REST /api/v3/depth snapshots and
// /api/v3/klines arrays. Prices are UsdPrice raw (1e-8), quantities BtcQty raw (1e-8), parsed exactly from the
// decimal strings. Symbols resolve through an InstrumentTable keyed by the upper-case symbol ("BTCUSDT").
// One parser per thread, reused; allocates in the constructor only. Never throws.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "feed/instrument_table.hpp"
#include "feed/parse/json_support.hpp"
#include "feed/parse/market_sink.hpp"
#include "feed/parse/parse_status.hpp"
#include "feed/parse/structural_indexer.hpp"

namespace polybot::feed {

class BinanceParser {
 public:
  static constexpr std::size_t kMaxLevels = 10000;  // per side; REST depth answers at most 5000

  explicit BinanceParser(InstrumentTable& symbols, std::size_t max_frame = 1u << 20,
                         json::Stage1 stage1 = json::Stage1::kPolybot);

  // One WebSocket text frame (a combined-stream envelope).
  ParseStatus parse(std::string_view frame, std::int64_t recv_ns, MarketSink& sink) noexcept;
  // The same, without copying the frame when `readable_after` >= SIMDJSON_PADDING (64) readable bytes follow it
  // (net::WsFrame guarantees net::kFramePadding).
  ParseStatus parse_in_place(std::string_view frame, std::size_t readable_after, std::int64_t recv_ns,
                             MarketSink& sink) noexcept;
  // GET /api/v3/depth for `symbol` (the response does not name it).
  ParseStatus parse_rest_depth(std::string_view body, InstrumentId symbol, std::int64_t recv_ns,
                               MarketSink& sink) noexcept;
  // GET /api/v3/klines for `symbol`; a bar is closed when its close time is before now_ms.
  ParseStatus parse_rest_klines(std::string_view body, InstrumentId symbol, std::int64_t now_ms,
                                std::int64_t recv_ns, MarketSink& sink) noexcept;

  [[nodiscard]] const ParseStats& stats() const noexcept { return stats_; }

 private:
  enum class StreamKind : std::uint8_t { kUnknown, kBookTicker, kAggTrade, kTrade, kDepthDiff, kDepthPartial, kKline };
  // The flat reader for the usual envelope {"stream":"<s>@bookTicker|trade|aggTrade|depth..","data":{...}}:
  // kDone (st says how it went), or the frame is handed to the general reader (kOtherShape: rewind, stage 1 kept;
  // kJsonError: simdjson gave up, index again).
  using Fast = detail::FastPath;
  Fast fast_frame(detail::od::document& doc, std::int64_t recv_ns, MarketSink& sink, ParseStatus& st,
                  FrameKind& fk) noexcept;
  Fast fast_levels(detail::od::value& v, std::vector<book::DepthLevel>& out, std::size_t& n) noexcept;
  static StreamKind classify(std::string_view stream) noexcept;
  ParseStatus parse_data(StreamKind kind, InstrumentId symbol, detail::od::value& data, std::int64_t recv_ns,
                         MarketSink& sink) noexcept;
  ParseStatus read_levels(detail::od::value& v, std::vector<book::DepthLevel>& out, std::size_t& n) noexcept;
  ParseStatus parse_kline_object(detail::od::value& k, InstrumentId symbol, std::int64_t event_ms,
                                 std::int64_t recv_ns, MarketSink& sink) noexcept;
  InstrumentId symbol_of(std::string_view stream) noexcept;

  InstrumentTable& symbols_;
  detail::PaddedBuffer input_;
  simdjson::ondemand::parser parser_;
  std::vector<book::DepthLevel> bids_, asks_;
  InstrumentId recent_{};  // the last symbol resolved (see symbol_of())
  // The fast reader's messages, reused: built field by field in place (no copy of a fresh struct read back wider
  // than it was written), padding zero from construction.
  BtcTick tick_{};
  Trade trade_{};
  ParseStats stats_;
};

}  // namespace polybot::feed
