// LiveFeed: the live feed stage as one unit — the Polymarket market channel (a fixed token list, or the
// MarketRoller following the BTC Up/Down windows), Binance streams + REST, and the RTDS reference prices, all on
// one IoLoop polled by the feed thread, parsing into the BookSet, whose FeedAgent publishes BookTops, Timers,
// MarketDefs and the Binance/reference events downstream. Configured from a TOML table ([feed] for `polybot run`,
// [record] for `polybot record`); bad values refuse to start with the key and value named. Built on the main
// thread; agent() then runs on the feed thread only.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/agent.hpp"
#include "core/channel.hpp"
#include "core/clock.hpp"
#include "core/msg/envelope.hpp"
#include "core/net/io_loop.hpp"
#include "core/net/tls_context.hpp"
#include "core/result.hpp"
#include "core/stage.hpp"
#include "feed/binance_session.hpp"
#include "feed/book_set.hpp"
#include "feed/coingecko/coingecko_check.hpp"
#include "feed/feed_agent.hpp"
#include "feed/instrument_table.hpp"
#include "feed/market_roller.hpp"
#include "feed/parse/binance_parser.hpp"
#include "feed/parse/polymarket_parser.hpp"
#include "feed/parse/ref_price_parser.hpp"
#include "feed/polymarket_market_session.hpp"
#include "feed/raw_frame_sink.hpp"
#include "feed/ref_price_session.hpp"

namespace polybot::journal {
class JournalRecorder;
}

namespace polybot::app {

struct LiveFeedConfig {
  std::string ca_file;                    // extra trusted CA (PEM), e.g. the simulator's ca.pem
  bool polymarket = false;
  feed::PolymarketSessionConfig pm;
  std::vector<std::string> tokens;        // exactly these tokens; empty with follow = true: the roller
  bool follow = false;
  feed::MarketRollerConfig roll;
  bool binance = false;
  feed::BinanceSessionConfig bn;
  bool rtds = false;
  feed::RefPriceSessionConfig rt;
  bool coingecko = false;                 // the slow sanity check of the BTC price against Binance
  feed::CoinGeckoConfig cg;
  feed::FeedAgentConfig agent;
  std::uint32_t token_capacity = 4096;    // instrument ids for tokens (live at once: a few dozen)
  // A retired window's token ids are handed out again after this long (no stage can still hold orders or state
  // for them): ids stay small over an unbounded run (the oms directory holds 1,024).
  std::uint32_t recycle_after_s = 3600;
};

// `table` is the [feed] / [record] table; `prefix` names it in errors ("feed", "record").
Result<LiveFeedConfig, std::string> parse_live_feed_config(const toml::table& table, const std::string& prefix);

// Raw inbound frames into the journal's feed stream, counted per channel.
class JournalRawSink final : public feed::RawFrameSink {
 public:
  explicit JournalRawSink(journal::JournalRecorder& rec) : rec_(rec) {}
  void on_raw_frame(feed::FeedChannel channel, std::string_view bytes, std::int64_t recv_ns) noexcept override;
  [[nodiscard]] std::uint64_t frames(feed::FeedChannel c) const noexcept {
    return frames_[static_cast<std::size_t>(c) % frames_.size()];
  }

 private:
  journal::JournalRecorder& rec_;
  std::array<std::uint64_t, 8> frames_{};
};

class LiveFeed {
 public:
  // Connects nothing yet. `raw` and `recorder` may be null (not journaled). `out` receives the feed's messages.
  static Result<std::unique_ptr<LiveFeed>, std::string> create(const LiveFeedConfig& cfg, const Clock& clock,
                                                               Channel<Envelope>::Producer out,
                                                               feed::RawFrameSink* raw, StageRecorder* recorder);
  ~LiveFeed();
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  // The feed stage's agent (name "feed"): polls the loop, the roller and the Binance resyncs. The sessions
  // connect in its on_start(). done() turns true once request_stop() was called.
  [[nodiscard]] Agent& agent() noexcept;
  void request_stop() noexcept;
  // After the agent's thread has stopped: close the sessions and let the loop flush.
  void shutdown() noexcept;

  [[nodiscard]] const feed::BookSet& books() const noexcept { return books_; }
  [[nodiscard]] const feed::FeedAgent& feed_agent() const noexcept { return *feed_agent_; }
  [[nodiscard]] const feed::MarketRoller* roller() const noexcept { return roller_.get(); }
  [[nodiscard]] const feed::PolymarketMarketSession* polymarket() const noexcept { return pm_session_.get(); }
  [[nodiscard]] const feed::BinanceSession* binance() const noexcept { return bn_session_.get(); }
  [[nodiscard]] const feed::RefPriceSession* rtds() const noexcept { return rt_session_.get(); }
  [[nodiscard]] const feed::CoinGeckoCheck* coingecko() const noexcept { return cg_check_.get(); }
  [[nodiscard]] std::uint64_t parse_errors() const noexcept;

 private:
  class Driver;
  explicit LiveFeed(const LiveFeedConfig& cfg);

  LiveFeedConfig cfg_;
  std::unique_ptr<net::TlsClientContext> tls_;
  net::IoLoop loop_;
  feed::InstrumentTable tokens_;
  feed::InstrumentTable symbols_;
  feed::BookSet books_;
  feed::PolymarketParser pm_parser_;
  feed::BinanceParser bn_parser_;
  feed::RefPriceParser rt_parser_;
  std::unique_ptr<feed::FeedAgent> feed_agent_;
  std::unique_ptr<feed::PolymarketMarketSession> pm_session_;
  std::unique_ptr<feed::MarketRoller> roller_;
  std::unique_ptr<feed::BinanceSession> bn_session_;
  std::unique_ptr<feed::RefPriceSession> rt_session_;
  std::unique_ptr<feed::CoinGeckoCheck> cg_check_;
  std::unique_ptr<Driver> driver_;
  bool shut_ = false;
};

}  // namespace polybot::app
