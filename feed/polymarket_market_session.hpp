// PolymarketMarketSession: the Polymarket market-channel WebSocket client. Subscribes with
// {"assets_ids":[...],"type":"market","initial_dump":true,"custom_feature_enabled":true} on every (re)connect,
// adds/removes tokens on the live connection for roll-over ({"assets_ids":[..],"operation":"subscribe"}),
// keeps the connection alive with a text PING every 10 s (dead after 30 s without PONG; polybot::net does the
// timing), hands every frame to a RawFrameSink and then to the parser, whose output goes to the sink (normally
// the BookSet). A disconnect marks every Polymarket book invalid; the initial dump of the next connection
// rebuilds them. Feed thread only (the IoLoop's); subscribe/unsubscribe allocate (roll-over, off the hot path).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/net/io_loop.hpp"
#include "core/net/ws_client.hpp"
#include "core/result.hpp"
#include "feed/book_set.hpp"
#include "feed/parse/polymarket_parser.hpp"
#include "feed/raw_frame_sink.hpp"

namespace polybot::feed {

struct PolymarketSessionConfig {
  std::string url = "wss://ws-subscriptions-clob.polymarket.com/ws/market";
  std::uint32_t ping_interval_ms = 10'000;
  std::uint32_t dead_after_ms = 30'000;
  bool custom_features = true;  // best_bid_ask, new_market, market_resolved
  net::BackoffConfig backoff{};
  const Clock* clock = nullptr;
};

struct PolymarketSessionCounters {
  std::uint64_t frames = 0;
  std::uint64_t parse_errors = 0;
  std::uint64_t subscribes_sent = 0;
  std::uint64_t disconnects = 0;
  std::uint64_t send_failures = 0;
};

class PolymarketMarketSession final : public net::WsHandler {
 public:
  // `books` (may be null) is told about disconnects; `raw` (may be null) receives every frame first.
  static Result<std::unique_ptr<PolymarketMarketSession>, net::NetError> create(
      net::IoLoop& loop, const net::TlsClientContext* tls, PolymarketSessionConfig config, PolymarketParser& parser,
      MarketSink& sink, BookSet* books, RawFrameSink* raw);

  void start() noexcept { client_->start(); }
  void stop() noexcept { client_->stop(); }
  // Adds tokens to the subscription (sent now if open; always part of the next connect's subscribe).
  void subscribe(std::span<const std::string> tokens);
  // Removes tokens (sent now if open).
  void unsubscribe(std::span<const std::string> tokens);

  [[nodiscard]] const std::vector<std::string>& tokens() const noexcept { return tokens_; }
  [[nodiscard]] net::WsClient& client() noexcept { return *client_; }
  [[nodiscard]] const PolymarketSessionCounters& counters() const noexcept { return counters_; }

  // net::WsHandler
  void on_open(net::WsClient& client, bool reconnected) noexcept override;
  void on_frame(net::WsClient& client, const net::WsFrame& frame) noexcept override;
  void on_disconnect(net::WsClient& client, const net::WsDisconnect& info) noexcept override;

  // The exact subscribe messages (exposed for tests and the simulator).
  static std::string initial_subscribe(std::span<const std::string> tokens, bool custom_features);
  static std::string dynamic_message(std::span<const std::string> tokens, bool subscribe);

 private:
  PolymarketMarketSession(PolymarketSessionConfig config, PolymarketParser& parser, MarketSink& sink,
                          BookSet* books, RawFrameSink* raw)
      : config_(std::move(config)), parser_(parser), sink_(sink), books_(books), raw_(raw) {}
  void send(const std::string& text) noexcept;

  PolymarketSessionConfig config_;
  PolymarketParser& parser_;
  MarketSink& sink_;
  BookSet* books_;
  RawFrameSink* raw_;
  std::unique_ptr<net::WsClient> client_;
  std::vector<std::string> tokens_;
  PolymarketSessionCounters counters_;
};

}  // namespace polybot::feed
