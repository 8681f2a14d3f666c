// BinanceSim: the simulator's Binance side on loopback TLS, for paper trading and end-to-end tests. Real 1-minute
// klines (a recorded CSV) are re-timed so the file plays from `history` minutes before start-up onwards, one row
// per wall-clock minute, and served the way Binance serves them: the combined stream
// /stream?streams=<sym>@kline_1m/<sym>@bookTicker/<sym>@aggTrade (a kline update every push period while the
// minute forms, the closed kline at its end; a top of book and a trade around the forming close) and REST
// /api/v3/klines (closed history plus the forming minute) and /api/v3/ping. Only the configured symbol streams.
// It also answers CoinGecko's /api/v3/simple/price for "bitcoin" in "usd" (the forming close, to the cent, as of
// the current minute), so the engine's sanity check runs against the simulator too.
// Own threads (the server's and a pusher); every method is thread-safe. Simulator code: allocates freely.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/net/server.hpp"
#include "core/result.hpp"
#include "feed/kline_csv.hpp"

namespace polybot::sim {

struct BinanceSimConfig {
  net::TlsServerOptions tls;              // certificate for 127.0.0.1 / localhost
  std::string symbol = "BTCUSDT";         // upper case, as REST takes it
  std::vector<feed::KlineRow> rows;       // played in order, wrapping around (at least 2)
  std::uint32_t history_minutes = 200;    // rows that lie before start-up (REST back-fill)
  std::uint32_t push_ms = 1000;           // stream period while a minute forms
  std::int32_t coingecko_offset_bps = 0;  // fault injection: CoinGecko's price this far from the forming close
};

struct BinanceSimCounters {
  std::uint64_t frames_sent = 0;
  std::uint64_t klines_closed = 0;
  std::uint64_t rest_klines = 0;
  std::uint64_t sessions = 0;
  std::uint64_t coingecko_requests = 0;
};

class BinanceSim {
 public:
  // Refuses fewer than two rows.
  static Result<std::unique_ptr<BinanceSim>, std::string> create(BinanceSimConfig config);
  ~BinanceSim();
  BinanceSim(const BinanceSim&) = delete;
  BinanceSim& operator=(const BinanceSim&) = delete;

  [[nodiscard]] Result<std::uint16_t, net::NetError> start();
  void stop();
  [[nodiscard]] std::string ws_base() const;    // wss://127.0.0.1:<port>
  [[nodiscard]] std::string rest_base() const;  // https://127.0.0.1:<port>
  [[nodiscard]] BinanceSimCounters counters() const;

  // The kline of minute `minute_ms` (open time) as it stands at `now_ms` (closed when now_ms is past its end):
  // the forming close moves linearly from the row's open to its close over the minute.
  struct Bar {
    std::int64_t open_ms = 0;
    UsdPrice open, high, low, close;
    BtcQty volume;
    std::uint32_t trades = 0;
    bool closed = false;
  };
  [[nodiscard]] Bar bar_at(std::int64_t minute_ms, std::int64_t now_ms) const;

 private:
  explicit BinanceSim(BinanceSimConfig config);
  void push_loop();
  void push_once(std::int64_t now_ms);
  [[nodiscard]] const feed::KlineRow& row_of(std::int64_t minute_ms) const;
  std::string kline_frame(const std::string& stream, const Bar& b, std::int64_t event_ms) const;
  std::string klines_body(std::uint32_t limit, std::int64_t now_ms) const;
  std::string simple_price_body(std::string_view ids, std::string_view currencies, std::int64_t now_ms) const;

  BinanceSimConfig config_;
  std::string lower_;           // "btcusdt"
  std::int64_t first_minute_ms_ = 0;  // the minute row 0 plays at
  std::unique_ptr<net::Server> server_;
  std::thread pusher_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::int64_t last_closed_minute_ms_ = 0;
  std::uint64_t update_id_ = 1;
  std::uint64_t trade_id_ = 1;
  std::atomic<std::uint64_t> frames_sent_{0}, klines_closed_{0}, rest_klines_{0}, sessions_{0}, coingecko_requests_{0};
};

}  // namespace polybot::sim
