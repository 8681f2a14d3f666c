#include "sim/venue/venue_server.hpp"

#include <chrono>

#include "core/clock.hpp"

namespace polybot::sim::venue {

VenueServer::VenueServer(VenueServerConfig cfg, ClobVenue& venue)
    : cfg_(std::move(cfg)), venue_(venue), server_(cfg_.server) {
  for (const char* path : {"/order", "/orders", "/cancel-all", "/cancel-market-orders", "/data/orders",
                           "/data/trades", "/balance-allowance", "/v1/heartbeats", "/heartbeats", "/time", "/ok",
                           "/auth/api-key", "/auth/derive-api-key"}) {
    server_.route("*", path, [this](const net::ServerRequest& req, net::ServerResponse& resp) {
      venue_.handle(req, resp, realtime_ns());
    });
  }
  net::WsRoute user;
  user.on_message = [this](const net::WsSessionPtr& s, std::string_view data, bool) {
    if (data == "PING") {
      s->send_text("PONG");
      return;
    }
    if (venue_.check_user_auth(data)) {
      std::lock_guard lock(mu_);
      authed_.insert(s->id());
    } else {
      s->close(1008);
    }
  };
  user.on_close = [this](const net::WsSessionPtr& s) {
    std::lock_guard lock(mu_);
    authed_.erase(s->id());
  };
  server_.websocket("/ws/user", std::move(user));
}

VenueServer::~VenueServer() { stop(); }

Result<std::uint16_t, net::NetError> VenueServer::start() {
  auto r = server_.start();
  if (!r) return r;
  running_.store(true);
  ticker_ = std::thread([this] {
    while (running_.load(std::memory_order_acquire)) {
      pump();
      std::this_thread::sleep_for(std::chrono::milliseconds(cfg_.tick_interval_ms));
    }
  });
  return r;
}

void VenueServer::pump() {
  venue_.tick(realtime_ns());
  auto frames = venue_.drain_user_frames();
  if (frames.empty()) return;
  std::set<std::uint64_t> ids;
  {
    std::lock_guard lock(mu_);
    ids = authed_;
  }
  for (const auto& s : server_.sessions()) {
    if (ids.count(s->id()) == 0 || s->path() != "/ws/user") continue;
    for (const auto& f : frames) s->send_text(f);
  }
}

std::size_t VenueServer::authenticated_sessions() const {
  std::lock_guard lock(mu_);
  return authed_.size();
}

void VenueServer::stop() {
  if (running_.exchange(false) && ticker_.joinable()) ticker_.join();
  server_.stop();
}

}  // namespace polybot::sim::venue
