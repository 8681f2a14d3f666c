// Server: an HTTPS + WSS (or plain HTTP + WS) server for the venue simulator and test venues. It runs its own
// io_context on its own thread(s) (not the engine's hot path, so it allocates freely): HTTP requests are routed
// by method + path to handlers, WebSocket upgrades by path to session handlers. Fault injection hooks
// (delays, silence, abrupt close, raw bytes mid-frame) serve the feed and oms tests.
// Configure routes before start(); every other method is thread-safe. Handlers run on the server's thread(s).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/net/net_error.hpp"
#include "core/net/tls_context.hpp"
#include "core/result.hpp"

namespace polybot::net {

struct ServerConfig {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 0;              // 0: an ephemeral port, see Server::port()
  bool tls = true;                     // https/wss with `tls_options`; false: plain http/ws
  TlsServerOptions tls_options{};        // certificate chain + key (e.g. from TestPki)
  int threads = 1;
  std::size_t max_request_body_bytes = 1U << 20;
  std::size_t max_ws_message_bytes = 4U << 20;
};

struct ServerRequest {
  std::string_view method;   // "GET", "POST", ...
  std::string_view target;   // path + query as received
  std::string_view path;     // target without the query
  std::string_view query;    // after '?', without it
  std::string_view body;
  std::uint64_t connection_id = 0;  // counts accepted connections from 1
  std::uint32_t request_index = 0;  // 0 for the first request on its connection
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  [[nodiscard]] std::string_view header(std::string_view name) const noexcept;  // case-insensitive
};

// The value of `key` in a query string ("a=1&b=2", without the '?'), as written (no percent-decoding); "" when
// absent.
[[nodiscard]] std::string_view query_param(std::string_view query, std::string_view key) noexcept;

struct ServerResponse {
  int status = 200;
  std::string body{};
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers{};
  // Faults for this one response:
  std::uint32_t delay_ms = 0;        // answer after this delay (slow server)
  bool close_after = false;          // send "Connection: close" and close after the response
  bool drop_without_response = false;  // close the connection without answering
  bool never_respond = false;          // keep the connection open and never answer (request timeouts)
};

using HttpRouteHandler = std::function<void(const ServerRequest&, ServerResponse&)>;

// One connected WebSocket client. Methods are thread-safe (posted to the server's thread) and no-ops once the
// session has ended.
class WsServerSession {
 public:
  virtual ~WsServerSession() = default;
  virtual void send_text(std::string text) = 0;
  virtual void send_binary(std::string bytes) = 0;
  // Bytes written straight to the (TLS) stream under the WebSocket framing: garbage, or a frame cut in half.
  virtual void send_raw(std::string bytes) = 0;
  // A frame header announcing `announced_len` payload bytes followed by only `payload` (shorter), then an
  // abrupt close: a disconnect in the middle of a frame.
  virtual void send_partial_frame_and_abort(std::size_t announced_len, std::string payload) = 0;
  virtual void close(std::uint16_t code = 1000) = 0;  // WebSocket close handshake
  virtual void abort() = 0;                            // TCP close without a close frame
  // Silent: stop sending (queued and new frames are discarded) and stop reading (pings go unanswered).
  virtual void set_silent(bool silent) = 0;
  [[nodiscard]] virtual std::uint64_t id() const noexcept = 0;
  [[nodiscard]] virtual std::string_view path() const noexcept = 0;  // request target of the upgrade
  [[nodiscard]] virtual bool open() const noexcept = 0;
};

using WsSessionPtr = std::shared_ptr<WsServerSession>;

struct WsRoute {
  std::function<void(const WsSessionPtr&)> on_open{};
  std::function<void(const WsSessionPtr&, std::string_view data, bool text)> on_message{};
  std::function<void(const WsSessionPtr&)> on_close{};
};

struct ServerCounters {
  std::uint64_t connections_accepted = 0;
  std::uint64_t tls_handshakes_failed = 0;
  std::uint64_t http_requests = 0;
  std::uint64_t ws_sessions = 0;
  std::uint64_t ws_messages_rx = 0;
};

class Server {
 public:
  explicit Server(ServerConfig config);
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Exact path match; method "*" matches any method. Later registrations of the same key win.
  void route(std::string method, std::string path, HttpRouteHandler handler);
  // Called when no route matches (default: 404).
  void fallback(HttpRouteHandler handler);
  void websocket(std::string path, WsRoute route);

  // Binds, listens and starts the thread(s). Returns the bound port. kBind / kTlsSetup on failure.
  [[nodiscard]] Result<std::uint16_t, NetError> start();
  // Closes the listener and every connection, joins the threads. Idempotent.
  void stop();

  [[nodiscard]] std::uint16_t port() const noexcept;
  [[nodiscard]] ServerCounters counters() const noexcept;
  // Currently open WebSocket sessions (a snapshot).
  [[nodiscard]] std::vector<WsSessionPtr> sessions() const;
  // Sends to every open session on `path` (empty = all).
  void broadcast_text(std::string_view path, const std::string& text);

  // Server-wide faults (thread-safe):
  void set_http_delay_ms(std::uint32_t ms) noexcept;  // every HTTP response waits this long
  void set_http_silent(bool silent) noexcept;           // HTTP requests are read and never answered
  void close_all_connections();                         // abrupt close of every HTTP and WS connection

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace polybot::net
