#include "feed/polymarket_market_session.hpp"

#include <algorithm>

namespace polybot::feed {

namespace {
void append_ids(std::string& s, std::span<const std::string> tokens) {
  s += "{\"assets_ids\":[";
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i) s += ',';
    s += '"';
    s += tokens[i];  // decimal digits: nothing to escape
    s += '"';
  }
  s += ']';
}
}  // namespace

std::string PolymarketMarketSession::initial_subscribe(std::span<const std::string> tokens, bool custom_features) {
  std::string s;
  append_ids(s, tokens);
  s += ",\"type\":\"market\",\"initial_dump\":true,\"custom_feature_enabled\":";
  s += custom_features ? "true}" : "false}";
  return s;
}

std::string PolymarketMarketSession::dynamic_message(std::span<const std::string> tokens, bool subscribe) {
  std::string s;
  append_ids(s, tokens);
  s += subscribe ? ",\"operation\":\"subscribe\"}" : ",\"operation\":\"unsubscribe\"}";
  return s;
}

Result<std::unique_ptr<PolymarketMarketSession>, net::NetError> PolymarketMarketSession::create(
    net::IoLoop& loop, const net::TlsClientContext* tls, PolymarketSessionConfig config, PolymarketParser& parser,
    MarketSink& sink, BookSet* books, RawFrameSink* raw) {
  std::unique_ptr<PolymarketMarketSession> s(
      new PolymarketMarketSession(std::move(config), parser, sink, books, raw));
  net::WsClientConfig wc;
  wc.url = s->config_.url;
  wc.keepalive.app_ping_interval_ms = s->config_.ping_interval_ms;
  wc.keepalive.app_ping_text = "PING";
  wc.keepalive.app_pong_text = "PONG";
  wc.keepalive.dead_after_ms = s->config_.dead_after_ms;
  wc.backoff = s->config_.backoff;
  wc.clock = s->config_.clock;
  auto client = net::WsClient::create(loop, tls, std::move(wc), *s);
  if (!client) return Err{client.error()};
  s->client_ = std::move(*client);
  return s;
}

void PolymarketMarketSession::send(const std::string& text) noexcept {
  if (client_->send_text(text) == net::NetError::kOk) {
    ++counters_.subscribes_sent;
  } else {
    ++counters_.send_failures;
  }
}

void PolymarketMarketSession::subscribe(std::span<const std::string> tokens) {
  std::vector<std::string> added;
  for (const auto& t : tokens) {
    if (std::find(tokens_.begin(), tokens_.end(), t) == tokens_.end()) {
      tokens_.push_back(t);
      added.push_back(t);
    }
  }
  if (!added.empty() && client_->state() == net::WsState::kOpen) send(dynamic_message(added, true));
}

void PolymarketMarketSession::unsubscribe(std::span<const std::string> tokens) {
  std::vector<std::string> removed;
  for (const auto& t : tokens) {
    auto it = std::find(tokens_.begin(), tokens_.end(), t);
    if (it != tokens_.end()) {
      tokens_.erase(it);
      removed.push_back(t);
    }
  }
  if (!removed.empty() && client_->state() == net::WsState::kOpen) send(dynamic_message(removed, false));
}

void PolymarketMarketSession::on_open(net::WsClient&, bool) noexcept {
  if (tokens_.empty()) return;
  // Every (re)connect subscribes everything afresh: there is no replay, the initial dump rebuilds the books.
  send(initial_subscribe(tokens_, config_.custom_features));
}

void PolymarketMarketSession::on_frame(net::WsClient&, const net::WsFrame& frame) noexcept {
  ++counters_.frames;
  if (raw_ != nullptr) raw_->on_raw_frame(FeedChannel::kPolymarketMarket, frame.data, frame.recv_ns);
  const ParseStatus st = parser_.parse_in_place(frame.data, net::kFramePadding, frame.recv_ns, sink_);
  if (st != ParseStatus::kOk && st != ParseStatus::kIgnored && st != ParseStatus::kUnknownInstrument) {
    ++counters_.parse_errors;
  }
}

void PolymarketMarketSession::on_disconnect(net::WsClient&, const net::WsDisconnect&) noexcept {
  ++counters_.disconnects;
  if (books_ != nullptr) books_->on_reconnect_polymarket();
}

}  // namespace polybot::feed
