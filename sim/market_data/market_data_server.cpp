#include "sim/market_data/market_data_server.hpp"

#include <simdjson.h>

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
    auto it = rest_.find(token);
    if (it == rest_.end()) {
      resp.status = 404;
      resp.body = R"({"error":"No orderbook exists for the requested token id"})";
      return;
    }
    resp.body = it->second;
  });
}

MarketDataServer::~MarketDataServer() { stop(); }

Result<std::uint16_t, net::NetError> MarketDataServer::start() { return server_->start(); }
void MarketDataServer::stop() { server_->stop(); }

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
    if (!doc["operation"].get_string().get(op) && op == "unsubscribe") return;
    simdjson::dom::array ids;
    if (doc["assets_ids"].get_array().get(ids)) return;
    bool any = false;
    std::string dump = "[";
    for (simdjson::dom::element id : ids) {
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
