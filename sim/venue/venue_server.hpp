// VenueServer: the ClobVenue served over HTTPS + WSS on loopback with polybot::net's server: every CLOB route,
// the user channel at /ws/user (subscribe with {"auth":{...},"type":"user"}; PING -> PONG), and a ticker thread
// that runs heartbeat expiry and trade advancement and pushes user-channel frames to authenticated sessions.
// Start-up and tests; owns its threads; allocates.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "core/net/server.hpp"
#include "sim/venue/clob_venue.hpp"

namespace polybot::sim::venue {

struct VenueServerConfig {
  net::ServerConfig server;          // bind address, port (0 = ephemeral), TLS certificate and key
  std::uint32_t tick_interval_ms = 20;
};

class VenueServer {
 public:
  VenueServer(VenueServerConfig cfg, ClobVenue& venue);
  ~VenueServer();
  VenueServer(const VenueServer&) = delete;
  VenueServer& operator=(const VenueServer&) = delete;

  // Binds and starts; returns the port.
  [[nodiscard]] Result<std::uint16_t, net::NetError> start();
  void stop();
  [[nodiscard]] std::uint16_t port() const noexcept { return server_.port(); }
  [[nodiscard]] net::Server& server() noexcept { return server_; }
  [[nodiscard]] std::size_t authenticated_sessions() const;
  // Runs one tick now (tests that want determinism call this instead of waiting for the ticker).
  void pump();

 private:
  VenueServerConfig cfg_;
  ClobVenue& venue_;
  net::Server server_;
  mutable std::mutex mu_;
  std::set<std::uint64_t> authed_;
  std::atomic<bool> running_{false};
  std::thread ticker_;
};

}  // namespace polybot::sim::venue
