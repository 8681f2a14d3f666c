// BinanceSession: Binance combined-stream WebSocket client (/stream?streams=btcusdt@bookTicker/btcusdt@depth@100ms/
// ...) plus the REST calls the streams need: a depth snapshot (/api/v3/depth) whenever a diff-depth book must be
// (re)synchronised — at connect, after a gap, after "snapshot too old" — and a one-off klines back-fill
// (/api/v3/klines). The server pings every 20 s and Beast answers; the connection is declared dead after
// dead_after_ms of silence. Frames go to the RawFrameSink first, then to the parser; a disconnect invalidates
// the depth books. Feed thread only; poll_resync() is called from the feed agent's do_work().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/net/http_client.hpp"
#include "core/net/io_loop.hpp"
#include "core/net/ws_client.hpp"
#include "core/result.hpp"
#include "feed/book_set.hpp"
#include "feed/instrument_table.hpp"
#include "feed/parse/binance_parser.hpp"
#include "feed/raw_frame_sink.hpp"

namespace polybot::feed {

struct BinanceSessionConfig {
  std::string ws_base = "wss://stream.binance.com:9443";  // + /stream?streams=...
  std::string rest_base = "https://api.binance.com";
  std::vector<std::string> symbols{"btcusdt"};             // lower case, as in stream names
  std::vector<std::string> streams{"bookTicker", "depth@100ms", "aggTrade", "kline_1m"};
  std::uint32_t depth_limit = 1000;
  std::uint32_t kline_backfill = 100;                      // 0: none
  std::uint32_t dead_after_ms = 60'000;
  std::uint32_t resync_min_interval_ms = 1'000;            // REST snapshot requests at most this often per symbol
  net::BackoffConfig backoff{};
  const Clock* clock = nullptr;
};

struct BinanceSessionCounters {
  std::uint64_t frames = 0;
  std::uint64_t parse_errors = 0;
  std::uint64_t snapshot_requests = 0;
  std::uint64_t snapshot_failures = 0;
  std::uint64_t klines_backfilled = 0;
  std::uint64_t disconnects = 0;
};

class BinanceSession final : public net::WsHandler, public net::HttpHandler {
 public:
  static Result<std::unique_ptr<BinanceSession>, net::NetError> create(net::IoLoop& loop,
                                                                        const net::TlsClientContext* tls,
                                                                        BinanceSessionConfig config,
                                                                        InstrumentTable& symbols, BinanceParser& parser,
                                                                        BookSet& books, MarketSink& sink,
                                                                        RawFrameSink* raw);
  void start() noexcept;
  void stop() noexcept;
  // Requests a depth snapshot for every diff-depth book that is waiting for one (rate limited). Returns work.
  int poll_resync() noexcept;

  [[nodiscard]] std::string stream_url() const;
  [[nodiscard]] const BinanceSessionCounters& counters() const noexcept { return counters_; }
  [[nodiscard]] net::WsClient& client() noexcept { return *ws_; }

  void on_open(net::WsClient& client, bool reconnected) noexcept override;
  void on_frame(net::WsClient& client, const net::WsFrame& frame) noexcept override;
  void on_disconnect(net::WsClient& client, const net::WsDisconnect& info) noexcept override;
  void on_response(net::HttpClient& client, std::uint64_t tag, const net::HttpResponse& response) noexcept override;

 private:
  struct Symbol {
    std::string upper;
    InstrumentId id{};
    bool diff_depth = false;
    bool request_in_flight = false;
    std::int64_t last_request_ms = -1'000'000;
    std::string depth_target, klines_target;
  };
  BinanceSession(BinanceSessionConfig config, InstrumentTable& symbols, BinanceParser& parser, BookSet& books,
                 MarketSink& sink, RawFrameSink* raw);
  void request_snapshot(std::size_t i) noexcept;
  std::int64_t now_ms() const noexcept;

  BinanceSessionConfig config_;
  InstrumentTable& table_;
  BinanceParser& parser_;
  BookSet& books_;
  MarketSink& sink_;
  RawFrameSink* raw_;
  std::vector<Symbol> symbols_;
  std::unique_ptr<net::WsClient> ws_;
  std::unique_ptr<net::HttpClient> http_;
  bool klines_done_ = false;
  BinanceSessionCounters counters_;
};

}  // namespace polybot::feed
