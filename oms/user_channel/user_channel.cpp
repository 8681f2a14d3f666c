#include "oms/user_channel/user_channel.hpp"

#include <cstring>

namespace polybot::oms {

Result<std::unique_ptr<UserChannel>, std::string> UserChannel::create(net::IoLoop& loop,
                                                                      const net::TlsClientContext* tls,
                                                                      UserChannelConfig cfg, std::string_view api_key,
                                                                      std::string_view secret,
                                                                      std::string_view passphrase,
                                                                      UserChannelListener& listener) {
  std::unique_ptr<UserChannel> uc(new UserChannel(listener));
  uc->subscribe_.reserve(128 + api_key.size() + secret.size() + passphrase.size() + cfg.markets_json.size());
  uc->subscribe_ = R"({"auth":{"apiKey":")";
  uc->subscribe_.append(api_key);
  uc->subscribe_ += R"(","secret":")";
  uc->subscribe_.append(secret);
  uc->subscribe_ += R"(","passphrase":")";
  uc->subscribe_.append(passphrase);
  uc->subscribe_ += R"("},"markets":)";
  uc->subscribe_ += cfg.markets_json;
  uc->subscribe_ += R"(,"type":"user"})";
  net::WsClientConfig wc;
  wc.url = cfg.url;
  wc.keepalive.app_ping_interval_ms = cfg.ping_interval_ms;
  wc.keepalive.dead_after_ms = cfg.dead_after_ms;
  auto ws = net::WsClient::create(loop, tls, wc, *uc);
  if (!ws) return Err{"user_channel.url \"" + cfg.url + "\": " + std::string(net::to_string(ws.error()))};
  uc->ws_ = std::move(*ws);
  return uc;
}

UserChannel::~UserChannel() {
  if (ws_) ws_->stop();
  // Wipe the credentials the subscribe message carries.
  volatile char* p = subscribe_.data();
  for (std::size_t i = 0; i < subscribe_.size(); ++i) p[i] = 0;
}

void UserChannel::on_open(net::WsClient& client, bool /*reconnected*/) noexcept {
  (void)client.send_text(subscribe_);
  listener_.on_gap(true);
}

void UserChannel::on_frame(net::WsClient& /*client*/, const net::WsFrame& frame) noexcept {
  ++frames_;
  if (listener_.on_user_frame(frame.data)) return;
  if (inputs_ != nullptr) inputs_->record(OmsInputKind::kUserFrame, frame.recv_ns, nullptr, 0, frame.data);
  (void)parser_.parse(frame.data, listener_);
}

void UserChannel::on_disconnect(net::WsClient& /*client*/, const net::WsDisconnect& /*info*/) noexcept {
  listener_.on_gap(false);
}

}  // namespace polybot::oms
