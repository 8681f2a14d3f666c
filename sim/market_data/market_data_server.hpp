// MarketDataServer: the simulator's market-data side. A loopback TLS WebSocket server (polybot::net's Server) at
// /ws/market that speaks the Polymarket market channel: it answers the subscribe message with the frames of the
// initial dump, PING with PONG, and lets a test or the demo push captured frames and inject faults (disconnect,
// disconnect mid-frame, garbage frames, silence, slow responses, duplicate and out-of-order frames). A REST
// `GET /book?token_id=` route serves the current snapshot of a token. Runs on the server's own thread;
// every method is thread-safe. Test/simulator code: allocates freely.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/net/server.hpp"
#include "core/result.hpp"

namespace polybot::sim {

struct MarketDataServerConfig {
  net::TlsServerOptions tls;  // certificate for 127.0.0.1 / localhost
  bool answer_ping = true;    // reply PONG to text PING
};

class MarketDataServer {
 public:
  explicit MarketDataServer(MarketDataServerConfig config);
  ~MarketDataServer();

  [[nodiscard]] Result<std::uint16_t, net::NetError> start();
  void stop();
  [[nodiscard]] std::string ws_url() const;  // wss://127.0.0.1:<port>/ws/market
  [[nodiscard]] std::string rest_url() const;  // https://127.0.0.1:<port>

  // The `book` frame sent for a token in the initial dump after each subscribe, and served by REST /book.
  void set_book(const std::string& token, std::string book_frame, std::string rest_body = {});
  // Sends a frame to every open market-channel session.
  void send(const std::string& frame);
  // Faults.
  void disconnect_all();                                     // abrupt TCP close
  void disconnect_mid_frame(const std::string& frame);       // announce the frame, send half, abort
  void send_garbage(const std::string& bytes);               // raw bytes under the WebSocket framing
  void set_silent(bool silent);                              // stop sending and reading (pings unanswered)
  void set_http_delay_ms(std::uint32_t ms);                  // slow REST

  [[nodiscard]] std::vector<std::string> received() const;   // client text frames, in order (PING excluded)
  [[nodiscard]] std::uint64_t sessions_opened() const;
  [[nodiscard]] std::size_t open_sessions() const;

 private:
  void on_message(const net::WsSessionPtr& s, std::string_view data);

  MarketDataServerConfig config_;
  std::unique_ptr<net::Server> server_;
  mutable std::mutex mu_;
  std::map<std::string, std::string> books_;  // token -> WS book frame
  std::map<std::string, std::string> rest_;   // token -> REST body
  std::vector<std::string> received_;
  std::uint64_t sessions_opened_ = 0;
};

}  // namespace polybot::sim
