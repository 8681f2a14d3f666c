// CoinGeckoCheck: the slow sanity check of the BTC price (issue #4 §2, protocol notes §15). Every interval it
// asks CoinGecko's simple price, journals the raw answer, publishes it as a RefPrice (venue kCoinGecko: the
// fair-value model reads Chainlink prices only) and compares it with the Binance bookTicker mid the BookSet
// holds. A difference beyond max_deviation_bps marks the check Diverged (counted; `polybot run` reports it):
// either venue may be wrong, so this is an alarm for the operator, never a trading input. CoinGecko data is
// cached ~60 s upstream and its limits are low: 429 answers back the poll off (Retry-After honoured), never
// retried at once. Feed thread only (poll() from the feed agent's do_work); allocation only at creation.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/net/http_client.hpp"
#include "core/net/io_loop.hpp"
#include "core/result.hpp"
#include "feed/book_set.hpp"
#include "feed/coingecko/coingecko_parser.hpp"
#include "feed/raw_frame_sink.hpp"

namespace polybot::feed {

struct CoinGeckoConfig {
  std::string base_url = "https://api.coingecko.com";  // the pro plan: https://pro-api.coingecko.com
  std::string coin = "bitcoin";
  std::string currency = "usd";
  std::uint32_t interval_s = 60;         // upstream cache ~60 s; the demo plan allows ~30 calls a minute
  std::uint32_t max_deviation_bps = 100; // |CoinGecko - Binance mid| / Binance mid, in 1e-4
  std::uint32_t max_age_s = 600;         // an answer whose last_updated_at is older than this is stale
  std::uint32_t max_ticker_age_s = 30;   // a Binance ticker older than this is nothing to compare with
  std::uint32_t max_backoff_s = 900;     // cap of the 429 / error back-off
  std::string api_key_header;            // "x-cg-demo-api-key" or "x-cg-pro-api-key"; empty: no key sent
  std::string api_key;                   // from the environment; never logged or journaled
  const Clock* clock = nullptr;
};

enum class SanityState : std::uint8_t { kUnknown = 0, kAgrees = 1, kDiverged = 2, kStale = 3 };
const char* to_string(SanityState s) noexcept;

struct CoinGeckoCounters {
  std::uint64_t requests = 0;
  std::uint64_t answers = 0;          // 200 answers that parsed
  std::uint64_t http_errors = 0;      // transport failures and non-200 answers other than 429
  std::uint64_t rate_limited = 0;     // 429
  std::uint64_t parse_errors = 0;
  std::uint64_t stale = 0;            // last_updated_at older than max_age_s
  std::uint64_t unchecked = 0;        // answers with no fresh Binance ticker to compare with when they came
  std::uint64_t checks = 0;
  std::uint64_t divergences = 0;
  std::int64_t last_deviation_bps = 0;  // signed: CoinGecko above Binance is positive
  UsdPrice last_price;
  SanityState state = SanityState::kUnknown;
};

class CoinGeckoCheck final : public net::HttpHandler {
 public:
  // `binance_symbol`: the BookSet id of the Binance symbol to compare with (invalid: publish only); a ticker slot
  // is prepared for it. `sink` receives the RefPrice (the BookSet, which hands it downstream).
  static Result<std::unique_ptr<CoinGeckoCheck>, net::NetError> create(net::IoLoop& loop,
                                                                        const net::TlsClientContext* tls,
                                                                        CoinGeckoConfig config,
                                                                        BookSet& books,
                                                                        InstrumentId binance_symbol,
                                                                        MarketSink& sink, RawFrameSink* raw);
  void start() noexcept;
  void stop() noexcept;
  // Sends the next request when it is due. Returns 1 when it sent one.
  int poll() noexcept;

  [[nodiscard]] const CoinGeckoCounters& counters() const noexcept { return counters_; }
  [[nodiscard]] const CoinGeckoParser& parser() const noexcept { return parser_; }
  [[nodiscard]] std::string target() const { return target_; }

  void on_response(net::HttpClient& client, std::uint64_t tag, const net::HttpResponse& response) noexcept override;

 private:
  CoinGeckoCheck(CoinGeckoConfig config, const BookSet& books, InstrumentId symbol, MarketSink& sink,
                 RawFrameSink* raw);
  std::int64_t now_ns() const noexcept;
  void back_off(std::int64_t now, std::int64_t retry_after_s) noexcept;
  // False when there is no fresh ticker to compare with yet (the answer stays pending).
  bool compare(const RefPrice& p, std::int64_t now) noexcept;

  CoinGeckoConfig config_;
  const BookSet& books_;
  InstrumentId symbol_;
  MarketSink& sink_;
  RawFrameSink* raw_;
  CoinGeckoParser parser_;
  std::unique_ptr<net::HttpClient> http_;
  std::string target_;
  bool in_flight_ = false;
  bool pending_ = false;         // the last answer waits for a Binance ticker
  RefPrice last_{};
  bool started_ = false;
  std::int64_t next_ns_ = 0;
  std::uint32_t failures_ = 0;   // consecutive: the back-off doubles with each
  std::uint64_t seq_ = 0;
  CoinGeckoCounters counters_;
};

}  // namespace polybot::feed
