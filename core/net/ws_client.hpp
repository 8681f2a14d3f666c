// WsClient: a WebSocket client session (wss:// or ws://) driven by an IoLoop that its owner polls from
// Agent::do_work(). A state machine that reconnects by itself:
//   Idle -> Resolving -> Connecting -> TlsHandshake -> WsHandshake -> Open -> (Closing) -> Backoff -> Resolving...
// Every method and every callback runs on the IoLoop's thread. After start() the session does not allocate
// while Open (receive buffer and send queue are allocated once; Asio recycles handler memory); each new
// connection attempt allocates (resolver results, the TLS and WebSocket stream objects).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/net/backoff.hpp"
#include "core/net/net_error.hpp"
#include "core/net/padding.hpp"
#include "core/result.hpp"

namespace polybot {
class Clock;
}

namespace polybot::net {

class IoLoop;
class TlsClientContext;

enum class WsState : std::uint8_t {
  kIdle,          // constructed, start() not called
  kResolving,
  kConnecting,
  kTlsHandshake,  // skipped for ws://
  kWsHandshake,
  kOpen,
  kClosing,       // close frame sent (stop() or keep-alive failure), waiting for the peer
  kBackoff,       // waiting before the next attempt
  kStopped,       // stop() completed or reconnect disabled; start() again to resume
};
[[nodiscard]] std::string_view to_string(WsState s) noexcept;

struct KeepaliveConfig {
  // Application-level text ping (Polymarket): send `app_ping_text` every app_ping_interval_ms (0 = off).
  std::uint32_t app_ping_interval_ms = 0;
  std::string app_ping_text = "PING";
  // A text frame exactly equal to this is the peer's answer: it counts as traffic and is NOT handed to on_frame.
  std::string app_pong_text = "PONG";
  // WebSocket ping control frames (Binance style) every ws_ping_interval_ms (0 = off). Pings from the peer are
  // always answered (by Beast).
  std::uint32_t ws_ping_interval_ms = 0;
  // Declare the connection dead when nothing at all (frame, pong, ping) arrived for this long (0 = never).
  std::uint32_t dead_after_ms = 0;
};

struct WsClientConfig {
  std::string url{};                                          // wss://host[:port]/path?query or ws://...
  std::vector<std::pair<std::string, std::string>> headers{};  // extra upgrade-request headers
  std::string user_agent = "polybot";
  std::size_t max_frame_bytes = 4U << 20;      // receive buffer (a larger message fails the connection)
  std::size_t send_queue_frames = 64;          // outgoing frames that may wait while one is being written
  std::size_t max_send_frame_bytes = 64U << 10;
  std::uint32_t open_timeout_ms = 10'000;      // resolve + connect + TLS + upgrade, per attempt
  std::uint32_t close_timeout_ms = 2'000;      // wait for the peer's close frame after ours
  bool reconnect = true;                       // false: a failure ends in kStopped
  BackoffConfig backoff{};
  KeepaliveConfig keepalive{};
  const Clock* clock = nullptr;                // receive timestamps; nullptr = CLOCK_REALTIME
};

struct WsFrame {
  std::string_view data;    // valid until on_frame returns; kFramePadding readable bytes follow data.end()
  bool text = true;
  std::int64_t recv_ns = 0;  // clock time taken right after the read completed
};

struct WsDisconnect {
  NetError reason = NetError::kOk;
  std::string_view detail{};            // human-readable cause (valid during the callback)
  bool was_open = false;              // the session had reached Open before this failure
  bool will_reconnect = false;
  std::uint32_t retry_in_ms = 0;      // backoff delay chosen for the next attempt
};

struct WsCounters {
  std::uint64_t frames_rx = 0;
  std::uint64_t bytes_rx = 0;
  std::uint64_t frames_tx = 0;
  std::uint64_t bytes_tx = 0;
  std::uint64_t opens = 0;        // successful handshakes, first included
  std::uint64_t reconnects = 0;   // opens after the first
  std::uint64_t failures = 0;     // attempts that failed + open connections that were lost
  std::uint64_t send_dropped = 0; // send_text refused (queue full / too large / not open)
  std::uint64_t pongs_rx = 0;     // app-level pongs and WebSocket pongs
};

class WsClient;

// Implemented by the owner (feed, oms user channel). Callbacks run on the IoLoop thread, inside poll(); they
// may call send_text() / stop() on the client. They must not throw.
class WsHandler {
 public:
  virtual ~WsHandler() = default;
  // The session reached Open. Subscribe here: it is called again after every reconnect (reconnected = true).
  virtual void on_open(WsClient& client, bool reconnected) noexcept = 0;
  virtual void on_frame(WsClient& client, const WsFrame& frame) noexcept = 0;
  // A connection attempt failed or an open connection was lost (books built from it are now stale).
  virtual void on_disconnect(WsClient& client, const WsDisconnect& info) noexcept = 0;
};

class WsClient {
 public:
  // Validates the config (fails with kBadUrl / kBadConfig / kTlsSetup when wss:// has no TLS context). The TLS
  // context must outlive the client; the loop must outlive the client.
  [[nodiscard]] static Result<std::unique_ptr<WsClient>, NetError> create(IoLoop& loop, const TlsClientContext* tls,
                                                                          WsClientConfig config,
                                                                          WsHandler& handler);
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // Begins connecting (from Idle or Stopped). Work happens inside IoLoop::poll().
  void start() noexcept;
  // Sends a close frame and stops; no reconnect. on_disconnect(kStopped) follows once closed.
  void stop() noexcept;
  // Drops the current connection abruptly and goes through Backoff (tests; also a "resubscribe from scratch").
  void force_reconnect() noexcept;

  // Queues a text frame (copied into a preallocated slot). kNotOpen / kQueueFull / kTooLarge: not queued.
  [[nodiscard]] NetError send_text(std::string_view text) noexcept;

  [[nodiscard]] WsState state() const noexcept;
  [[nodiscard]] WsCounters counters() const noexcept;
  [[nodiscard]] const WsClientConfig& config() const noexcept;
  // Frames queued and not yet fully written.
  [[nodiscard]] std::size_t send_backlog() const noexcept;

  struct Impl;

 private:
  explicit WsClient(std::shared_ptr<Impl> impl) noexcept;
  std::shared_ptr<Impl> impl_;
};

}  // namespace polybot::net
