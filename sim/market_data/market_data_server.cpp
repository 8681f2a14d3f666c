#include "sim/market_data/market_data_server.hpp"

#include <chrono>

#include <simdjson.h>

#include "feed/parse/gamma_parser.hpp"

namespace polybot::sim {

MarketDataServer::MarketDataServer(MarketDataServerConfig config) : config_(std::move(config)) {
  net::ServerConfig sc;
  sc.tls = true;
  sc.tls_options = config_.tls;
  server_ = std::make_unique<net::Server>(sc);
  net::WsRoute route;
  route.on_open = [this](const net::WsSessionPtr&) {
    std::lock_guard lock(mu_);
    ++sessions_opened_;
  };
  route.on_message = [this](const net::WsSessionPtr& s, std::string_view data, bool) { on_message(s, data); };
  server_->websocket("/ws/market", route);
  server_->route("GET", "/book", [this](const net::ServerRequest& req, net::ServerResponse& resp) {
    const auto q = req.query;
    const auto p = q.find("token_id=");
    std::string token(p == std::string_view::npos ? std::string_view{} : q.substr(p + 9));
    if (const auto amp = token.find('&'); amp != std::string::npos) token.resize(amp);
    std::lock_guard lock(mu_);
    ++rest_hits_[token];
    auto it = rest_.find(token);
    if (it == rest_.end()) {
      resp.status = 404;
      resp.body = R"({"error":"No orderbook exists for the requested token id"})";
      return;
    }
    resp.body = it->second;
  });
  server_->route("GET", "/events", [this](const net::ServerRequest& req, net::ServerResponse& resp) { on_gamma(req, resp); });
  server_->fallback([this](const net::ServerRequest& req, net::ServerResponse& resp) { on_gamma(req, resp); });
}

void MarketDataServer::on_gamma(const net::ServerRequest& req, net::ServerResponse& resp) {
  constexpr std::string_view kMarketSlug = "/markets/slug/";
  std::lock_guard lock(mu_);
  if (req.method == "GET" && req.path.substr(0, kMarketSlug.size()) == kMarketSlug) {
    const std::string slug(req.path.substr(kMarketSlug.size()));
    auto it = gamma_.find(slug);
    if (it != gamma_.end()) ++it->second.lookups;
    if (it == gamma_.end() || !it->second.visible()) {
      resp.status = 404;
      resp.body = R"({"type":"not found error","error":"id not found"})";
      return;
    }
    resp.body = it->second.json;
    return;
  }
  if (req.method == "GET" && req.path == "/events") {
    const std::string slug(net::query_param(req.query, "slug"));
    std::string body = "[";
    bool any = false;
    const auto add = [&](const std::string& s, const GammaEntry& e) {
      if (any) body += ',';
      body += R"({"id":"sim-)" + s + R"(","slug":")" + s + R"(","markets":[)" + e.json + "]}";
      any = true;
    };
    if (!slug.empty()) {
      auto it = gamma_.find(slug);
      if (it != gamma_.end() && it->second.visible()) add(it->first, it->second);
    } else if (net::query_param(req.query, "tag_slug") == "up-or-down") {
      std::int64_t lo = 0, hi = 0;
      const bool ok = feed::parse_iso8601_utc(net::query_param(req.query, "end_date_min"), lo) &&
                      feed::parse_iso8601_utc(net::query_param(req.query, "end_date_max"), hi);
      for (const auto& [s, e] : gamma_) {
        if (ok && e.visible() && e.end_s >= lo && e.end_s <= hi) add(s, e);
      }
    }
    body += ']';
    resp.body = std::move(body);
    return;
  }
  resp.status = 404;
  resp.body = R"({"error":"not found"})";
}

void MarketDataServer::set_initial_dump(bool on) {
  std::lock_guard lock(mu_);
  initial_dump_ = on;
}

void MarketDataServer::set_rest_book(const std::string& token, std::string rest_body) {
  std::lock_guard lock(mu_);
  rest_[token] = std::move(rest_body);
}

void MarketDataServer::add_gamma_market(const std::string& slug, std::string market_json, std::int64_t end_s,
                                        std::uint32_t hidden_lookups) {
  std::lock_guard lock(mu_);
  GammaEntry& e = gamma_[slug];
  e.json = std::move(market_json);
  e.end_s = end_s;
  e.hidden = hidden_lookups;
  e.lookups = 0;
}

void MarketDataServer::add_window(const SimWindow& w, const SimBook& up, std::uint32_t hidden_lookups) {
  add_gamma_market(w.slug, w.gamma_json, w.end_s, hidden_lookups);
  SimBook u = up;
  u.market = w.condition_id;
  u.asset_id = w.tokens[0];
  SimBook d = complement(u);
  d.asset_id = w.tokens[1];
  set_book(u.asset_id, ws_book_frame(u), rest_book_body(u));
  set_book(d.asset_id, ws_book_frame(d), rest_book_body(d));
  std::lock_guard lock(mu_);
  trade_info_[u.asset_id] = TradeInfo{w.condition_id, u.last_trade_price};
  trade_info_[d.asset_id] = TradeInfo{w.condition_id, d.last_trade_price};
}

void MarketDataServer::set_activity(std::uint32_t period_ms) {
  {
    std::lock_guard lock(mu_);
    activity_ms_ = period_ms;
    activity_stop_ = period_ms == 0;
  }
  activity_cv_.notify_all();
  if (period_ms == 0) {
    if (activity_.joinable()) activity_.join();
  } else if (!activity_.joinable()) {
    activity_ = std::thread([this] { activity_loop(); });
  }
}

std::uint64_t MarketDataServer::activity_frames() const {
  std::lock_guard lock(mu_);
  return activity_frames_;
}

void MarketDataServer::activity_loop() {
  std::unique_lock lock(mu_);
  while (!activity_stop_) {
    activity_cv_.wait_for(lock, std::chrono::milliseconds(activity_ms_), [this] { return activity_stop_; });
    if (activity_stop_) break;
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    std::vector<std::string> frames;
    for (const auto& [token, n] : subscribed_) {
      if (n == 0) continue;
      auto it = trade_info_.find(token);
      if (it == trade_info_.end()) continue;
      frames.push_back(R"({"event_type":"last_trade_price","market":")" + it->second.market + R"(","asset_id":")" +
                       token + R"(","fee_rate_bps":"0","price":")" + it->second.price +
                       R"(","side":"BUY","size":"5","timestamp":")" + std::to_string(now_ms) + "\"}");
    }
    activity_frames_ += frames.size();
    lock.unlock();
    for (const auto& f : frames) server_->broadcast_text("/ws/market", f);
    lock.lock();
  }
}

std::uint64_t MarketDataServer::gamma_lookups(const std::string& slug) const {
  std::lock_guard lock(mu_);
  auto it = gamma_.find(slug);
  return it == gamma_.end() ? 0 : it->second.lookups;
}

std::uint64_t MarketDataServer::rest_book_requests(const std::string& token) const {
  std::lock_guard lock(mu_);
  auto it = rest_hits_.find(token);
  return it == rest_hits_.end() ? 0 : it->second;
}

MarketDataServer::~MarketDataServer() { stop(); }

Result<std::uint16_t, net::NetError> MarketDataServer::start() { return server_->start(); }
void MarketDataServer::stop() {
  set_activity(0);
  server_->stop();
}

std::string MarketDataServer::ws_url() const { return "wss://127.0.0.1:" + std::to_string(server_->port()) + "/ws/market"; }
std::string MarketDataServer::rest_url() const { return "https://127.0.0.1:" + std::to_string(server_->port()); }

void MarketDataServer::set_book(const std::string& token, std::string book_frame, std::string rest_body) {
  std::lock_guard lock(mu_);
  books_[token] = std::move(book_frame);
  if (!rest_body.empty()) rest_[token] = std::move(rest_body);
}

void MarketDataServer::on_message(const net::WsSessionPtr& s, std::string_view data) {
  if (data == "PING") {
    if (config_.answer_ping) s->send_text("PONG");
    return;
  }
  std::vector<std::string> replies;
  {
    std::lock_guard lock(mu_);
    received_.emplace_back(data);
    // {"assets_ids":[...], ...}: answer a subscribe (initial or dynamic) with the book of each known token.
    simdjson::dom::parser p;
    simdjson::dom::element doc;
    if (p.parse(data.data(), data.size()).get(doc)) return;
    std::string_view op;
    simdjson::dom::array ids;
    if (doc["assets_ids"].get_array().get(ids)) return;
    const bool unsubscribe = !doc["operation"].get_string().get(op) && op == "unsubscribe";
    for (simdjson::dom::element id : ids) {
      std::string_view t;
      if (id.get_string().get(t)) continue;
      std::uint32_t& n = subscribed_[std::string(t)];
      if (unsubscribe) {
        if (n > 0) --n;
      } else {
        ++n;
      }
    }
    if (unsubscribe) return;
    bool any = false;
    std::string dump = "[";
    for (simdjson::dom::element id : ids) {
      if (!initial_dump_) break;
      std::string_view t;
      if (id.get_string().get(t)) continue;
      auto it = books_.find(std::string(t));
      if (it == books_.end()) continue;
      if (any) dump += ',';
      dump += it->second;
      any = true;
    }
    dump += ']';
    if (any) replies.push_back(std::move(dump));
    else replies.emplace_back("NO NEW ASSETS");
  }
  for (auto& r : replies) s->send_text(std::move(r));
}

void MarketDataServer::send(const std::string& frame) { server_->broadcast_text("/ws/market", frame); }

void MarketDataServer::disconnect_all() {
  for (const auto& s : server_->sessions()) s->abort();
}

void MarketDataServer::disconnect_mid_frame(const std::string& frame) {
  for (const auto& s : server_->sessions()) s->send_partial_frame_and_abort(frame.size(), frame.substr(0, frame.size() / 2));
}

void MarketDataServer::send_garbage(const std::string& bytes) {
  for (const auto& s : server_->sessions()) s->send_raw(bytes);
}

void MarketDataServer::set_silent(bool silent) {
  for (const auto& s : server_->sessions()) s->set_silent(silent);
}

void MarketDataServer::set_http_delay_ms(std::uint32_t ms) { server_->set_http_delay_ms(ms); }

std::vector<std::string> MarketDataServer::received() const {
  std::lock_guard lock(mu_);
  return received_;
}

std::uint64_t MarketDataServer::sessions_opened() const {
  std::lock_guard lock(mu_);
  return sessions_opened_;
}

std::size_t MarketDataServer::open_sessions() const { return server_->sessions().size(); }

}  // namespace polybot::sim
