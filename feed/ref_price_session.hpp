// RefPriceSession: the settlement-reference price socket. Legacy RTDS (wss://ws-live-data.polymarket.com) by
// default: subscribes to crypto_prices_chainlink (btc/usd) and crypto_prices (btcusdt) on every (re)connect and
// pings with text every 5 s; or PolyBolt (wss://ws-live-v2.polymarket.com/ws) when `subscribe_messages` carry
// its op frames (PolyBolt needs an auth op with API credentials, which the caller builds and which never appear
// in logs). Frames go to the RawFrameSink, then the RefPriceParser -> RefPrice on the sink. Feed thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/net/io_loop.hpp"
#include "core/net/ws_client.hpp"
#include "core/result.hpp"
#include "feed/parse/ref_price_parser.hpp"
#include "feed/raw_frame_sink.hpp"

namespace polybot::feed {

struct RefPriceSessionConfig {
  std::string url = "wss://ws-live-data.polymarket.com";
  // Sent in order after every (re)connect. The RTDS filter encoding differs between official clients
  // (docs/UNVERIFIED.md): the JSON-string form is the default.
  std::vector<std::string> subscribe_messages{
      R"({"action":"subscribe","subscriptions":[{"topic":"crypto_prices_chainlink","type":"*","filters":"{\"symbol\":\"btc/usd\"}"}]})",
      R"({"action":"subscribe","subscriptions":[{"topic":"crypto_prices","type":"update","filters":"{\"symbol\":\"btcusdt\"}"}]})"};
  std::string ping_text = "PING";
  std::uint32_t ping_interval_ms = 5'000;
  std::uint32_t dead_after_ms = 15'000;
  net::BackoffConfig backoff{};
  const Clock* clock = nullptr;
};

class RefPriceSession final : public net::WsHandler {
 public:
  static Result<std::unique_ptr<RefPriceSession>, net::NetError> create(net::IoLoop& loop,
                                                                         const net::TlsClientContext* tls,
                                                                         RefPriceSessionConfig config,
                                                                         RefPriceParser& parser, MarketSink& sink,
                                                                         RawFrameSink* raw);
  void start() noexcept { client_->start(); }
  void stop() noexcept { client_->stop(); }
  [[nodiscard]] std::uint64_t frames() const noexcept { return frames_; }
  [[nodiscard]] std::uint64_t parse_errors() const noexcept { return parse_errors_; }
  [[nodiscard]] std::uint64_t disconnects() const noexcept { return disconnects_; }

  void on_open(net::WsClient& client, bool reconnected) noexcept override;
  void on_frame(net::WsClient& client, const net::WsFrame& frame) noexcept override;
  void on_disconnect(net::WsClient& client, const net::WsDisconnect& info) noexcept override;

 private:
  RefPriceSession(RefPriceSessionConfig config, RefPriceParser& parser, MarketSink& sink, RawFrameSink* raw)
      : config_(std::move(config)), parser_(parser), sink_(sink), raw_(raw) {}
  RefPriceSessionConfig config_;
  RefPriceParser& parser_;
  MarketSink& sink_;
  RawFrameSink* raw_;
  std::unique_ptr<net::WsClient> client_;
  std::uint64_t frames_ = 0, parse_errors_ = 0, disconnects_ = 0;
};

}  // namespace polybot::feed
