// MarketDataServer: the simulator's market-data side. A loopback TLS WebSocket server (polybot::net's Server) at
// /ws/market that speaks the Polymarket market channel: it answers the subscribe message with the frames of the
// initial dump, PING with PONG, and lets a test or the demo push captured frames and inject faults (disconnect,
// disconnect mid-frame, garbage frames, silence, slow responses, duplicate and out-of-order frames). A REST
// `GET /book?token_id=` route serves the current snapshot of a token, and a Gamma endpoint set
// (`/markets/slug/<slug>`, `/events?slug=`, `/events?tag_slug=...&end_date_min=&end_date_max=`) serves the
// windows added (a window can stay "not hydrated" for its first N lookups, or never be added). Runs on the
// server's own thread; every method is thread-safe. Test/simulator code: allocates freely.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/net/server.hpp"
#include "core/result.hpp"
#include "sim/market_data/window_catalog.hpp"

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
  // Off: a subscribe is answered with "NO NEW ASSETS" only (no initial dump), so only REST /book can rebuild.
  void set_initial_dump(bool on);
  // Replaces the REST /book body of a token (the WebSocket dump frame is left as it is).
  void set_rest_book(const std::string& token, std::string rest_body);

  // Gamma: serves `market_json` for `slug` (window end `end_s` for the listing). The first `hidden_lookups`
  // GET /markets/slug/<slug> (and the fallbacks of those lookups) find nothing, as while Gamma hydrates.
  void add_gamma_market(const std::string& slug, std::string market_json, std::int64_t end_s,
                        std::uint32_t hidden_lookups = 0);
  // A catalog window: its Gamma market, and the WS dump / REST /book of both tokens from `up` (Down = complement).
  void add_window(const SimWindow& w, const SimBook& up, std::uint32_t hidden_lookups = 0);
  // GET /markets/slug/<slug> requests seen for a slug.
  [[nodiscard]] std::uint64_t gamma_lookups(const std::string& slug) const;
  [[nodiscard]] std::uint64_t rest_book_requests(const std::string& token) const;

  // Market activity for paper trading: every `period_ms`, a last_trade_price frame (at the token's last trade
  // price from its window's book) for each token some session subscribed to, so the engine's silence rule sees a
  // live market. 0 stops it. Test fault injections are unaffected.
  void set_activity(std::uint32_t period_ms);
  [[nodiscard]] std::uint64_t activity_frames() const;

  [[nodiscard]] std::vector<std::string> received() const;   // client text frames, in order (PING excluded)
  [[nodiscard]] std::uint64_t sessions_opened() const;
  [[nodiscard]] std::size_t open_sessions() const;

 private:
  void on_message(const net::WsSessionPtr& s, std::string_view data);
  void on_gamma(const net::ServerRequest& req, net::ServerResponse& resp);

  struct GammaEntry {
    std::string json;
    std::int64_t end_s = 0;
    std::uint32_t hidden = 0;
    std::uint64_t lookups = 0;
    [[nodiscard]] bool visible() const noexcept { return lookups > hidden; }
  };

  MarketDataServerConfig config_;
  std::unique_ptr<net::Server> server_;
  mutable std::mutex mu_;
  std::map<std::string, std::string> books_;  // token -> WS book frame
  std::map<std::string, std::string> rest_;   // token -> REST body
  std::vector<std::string> received_;
  std::uint64_t sessions_opened_ = 0;
  bool initial_dump_ = true;
  std::map<std::string, GammaEntry> gamma_;        // slug -> market
  std::map<std::string, std::uint64_t> rest_hits_;  // token -> GET /book count
  struct TradeInfo {
    std::string market;
    std::string price;
  };
  std::map<std::string, TradeInfo> trade_info_;     // token -> what its activity frame says
  std::map<std::string, std::uint32_t> subscribed_;  // token -> sessions subscribed (any session)
  void activity_loop();
  std::uint32_t activity_ms_ = 0;
  bool activity_stop_ = false;
  std::uint64_t activity_frames_ = 0;
  std::condition_variable activity_cv_;
  std::thread activity_;
};

}  // namespace polybot::sim
