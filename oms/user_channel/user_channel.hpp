// UserChannel: the authenticated user WebSocket (wss://…/ws/user) on polybot::net's polled WsClient: subscribes
// with the API credentials on every (re)connect, keeps the PING/PONG keep-alive, decodes `order`/`trade` frames
// with UserChannelParser and hands them to a UserEventSink. A reconnect means events may have been missed: the
// owner is told (on_gap) so it reconciles. The oms thread only (the IoLoop's). The raw secret it must send is held
// in one buffer, built at start-up and wiped on destruction; it never reaches a log.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/net/io_loop.hpp"
#include "core/net/tls_context.hpp"
#include "core/net/ws_client.hpp"
#include "oms/oms_input_recorder.hpp"
#include "oms/user_channel/user_channel_parser.hpp"

namespace polybot::oms {

struct UserChannelConfig {
  std::string url = "wss://ws-subscriptions-clob.polymarket.com/ws/user";
  std::uint32_t ping_interval_ms = 10'000;
  std::uint32_t dead_after_ms = 30'000;
  std::string markets_json = "[]";  // condition ids as a JSON array; [] = all (UNVERIFIED on the real venue)
};

class UserChannelListener : public UserEventSink {
 public:
  // The channel (re)opened or dropped: events may be missing until reconciliation.
  virtual void on_gap(bool open) noexcept = 0;
  // The raw text frame before decoding: return true to decode (and journal) it yourself, false to let the
  // channel decode it into on_order/on_trade.
  virtual bool on_user_frame(std::string_view /*frame*/) noexcept { return false; }
};

class UserChannel final : public net::WsHandler {
 public:
  static Result<std::unique_ptr<UserChannel>, std::string> create(net::IoLoop& loop, const net::TlsClientContext* tls,
                                                                  UserChannelConfig cfg, std::string_view api_key,
                                                                  std::string_view secret, std::string_view passphrase,
                                                                  UserChannelListener& listener);
  ~UserChannel() override;
  void start() noexcept { ws_->start(); }
  void stop() noexcept { ws_->stop(); }
  [[nodiscard]] bool open() const noexcept { return ws_->state() == net::WsState::kOpen; }
  [[nodiscard]] std::uint64_t malformed() const noexcept { return parser_.malformed(); }
  [[nodiscard]] std::uint64_t frames() const noexcept { return frames_; }
  // Journals every text frame as received (an oms input); null: off.
  void set_input_recorder(OmsInputRecorder* r) noexcept { inputs_ = r; }

  void on_open(net::WsClient& client, bool reconnected) noexcept override;
  void on_frame(net::WsClient& client, const net::WsFrame& frame) noexcept override;
  void on_disconnect(net::WsClient& client, const net::WsDisconnect& info) noexcept override;

 private:
  explicit UserChannel(UserChannelListener& l) noexcept : listener_(l) {}
  UserChannelListener& listener_;
  std::unique_ptr<net::WsClient> ws_;
  UserChannelParser parser_;
  std::string subscribe_;  // holds the secret: wiped in the destructor
  std::uint64_t frames_ = 0;
  OmsInputRecorder* inputs_ = nullptr;
};

}  // namespace polybot::oms
