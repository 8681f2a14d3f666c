#include "feed/ref_price_session.hpp"

namespace polybot::feed {

Result<std::unique_ptr<RefPriceSession>, net::NetError> RefPriceSession::create(net::IoLoop& loop,
                                                                                const net::TlsClientContext* tls,
                                                                                RefPriceSessionConfig config,
                                                                                RefPriceParser& parser,
                                                                                MarketSink& sink, RawFrameSink* raw) {
  std::unique_ptr<RefPriceSession> s(new RefPriceSession(std::move(config), parser, sink, raw));
  net::WsClientConfig wc;
  wc.url = s->config_.url;
  wc.keepalive.app_ping_interval_ms = s->config_.ping_interval_ms;
  wc.keepalive.app_ping_text = s->config_.ping_text;
  wc.keepalive.app_pong_text = "PONG";
  wc.keepalive.dead_after_ms = s->config_.dead_after_ms;
  wc.backoff = s->config_.backoff;
  wc.clock = s->config_.clock;
  auto client = net::WsClient::create(loop, tls, std::move(wc), *s);
  if (!client) return Err{client.error()};
  s->client_ = std::move(*client);
  return s;
}

void RefPriceSession::on_open(net::WsClient& client, bool) noexcept {
  for (const auto& m : config_.subscribe_messages) (void)client.send_text(m);
}

void RefPriceSession::on_frame(net::WsClient&, const net::WsFrame& frame) noexcept {
  ++frames_;
  if (raw_ != nullptr) raw_->on_raw_frame(FeedChannel::kRefPrice, frame.data, frame.recv_ns);
  const ParseStatus st = parser_.parse_in_place(frame.data, net::kFramePadding, frame.recv_ns, sink_);
  if (st != ParseStatus::kOk && st != ParseStatus::kIgnored && st != ParseStatus::kUnknownInstrument) ++parse_errors_;
}

void RefPriceSession::on_disconnect(net::WsClient&, const net::WsDisconnect&) noexcept { ++disconnects_; }

}  // namespace polybot::feed
