// Server implementation. Each connection runs on its own strand; an HTTP connection becomes a WebSocket session
// when it receives an upgrade for a registered path. Silence is a rate policy on the TCP stream that reports
// zero bytes available, so a silent session neither reads (pings go unanswered) nor writes.
#include "core/net/server.hpp"

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <deque>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

namespace polybot::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Unlimited unless silent; a silent stream moves no bytes in either direction (Beast re-polls every second).
class SwitchRatePolicy {
 public:
  void set_silent(bool s) noexcept { silent_ = s; }
  [[nodiscard]] std::size_t available_read_bytes() const noexcept {
    return silent_ ? 0 : std::numeric_limits<std::size_t>::max();
  }
  [[nodiscard]] std::size_t available_write_bytes() const noexcept {
    return silent_ ? 0 : std::numeric_limits<std::size_t>::max();
  }
  void transfer_read_bytes(std::size_t) const noexcept {}
  void transfer_write_bytes(std::size_t) const noexcept {}
  void on_timer() const noexcept {}

 private:
  bool silent_ = false;
};

using ServerTcp = beast::basic_stream<tcp, asio::any_io_executor, SwitchRatePolicy>;
template <bool kTls>
using ServerStream = std::conditional_t<kTls, beast::ssl_stream<ServerTcp>, ServerTcp>;

struct ConnBase {
  virtual ~ConnBase() = default;
  virtual void abort_from_any_thread() = 0;
};

}  // namespace

std::string_view query_param(std::string_view query, std::string_view key) noexcept {
  std::size_t p = 0;
  while (p < query.size()) {
    std::size_t amp = query.find('&', p);
    if (amp == std::string_view::npos) amp = query.size();
    const std::string_view kv = query.substr(p, amp - p);
    if (kv.size() > key.size() && kv.substr(0, key.size()) == key && kv[key.size()] == '=') {
      return kv.substr(key.size() + 1);
    }
    p = amp + 1;
  }
  return {};
}

std::string_view ServerRequest::header(std::string_view name) const noexcept {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  return {};
}

struct Server::Impl {
  explicit Impl(ServerConfig c) : cfg(std::move(c)) {}

  ServerConfig cfg;
  asio::io_context ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::optional<tcp::acceptor> acceptor;
  std::optional<TlsServerContext> tls;
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  bool running = false;

  std::map<std::pair<std::string, std::string>, HttpRouteHandler> routes;
  HttpRouteHandler fallback;
  std::map<std::string, WsRoute> ws_routes;

  std::atomic<std::uint32_t> http_delay_ms{0};
  std::atomic<bool> http_silent{false};
  std::atomic<std::uint64_t> next_conn_id{0};
  std::atomic<std::uint64_t> c_accepted{0}, c_tls_failed{0}, c_http{0}, c_ws{0}, c_ws_rx{0};

  mutable std::mutex mu;  // guards conns and sessions (off the hot path: the server is a test/sim venue)
  std::unordered_map<std::uint64_t, std::weak_ptr<ConnBase>> conns;
  std::unordered_map<std::uint64_t, std::weak_ptr<WsServerSession>> sessions;

  void add_conn(std::uint64_t id, const std::shared_ptr<ConnBase>& c) {
    std::lock_guard lock(mu);
    conns[id] = c;
  }
  void remove_conn(std::uint64_t id) {
    std::lock_guard lock(mu);
    conns.erase(id);
    sessions.erase(id);
  }

  const HttpRouteHandler* find_route(std::string_view method, std::string_view path) const {
    auto it = routes.find({std::string(method), std::string(path)});
    if (it != routes.end()) return &it->second;
    it = routes.find({"*", std::string(path)});
    if (it != routes.end()) return &it->second;
    return fallback ? &fallback : nullptr;
  }

  void do_accept();
};

namespace {

template <bool kTls>
class WsConn final : public WsServerSession, public ConnBase, public std::enable_shared_from_this<WsConn<kTls>> {
  enum class OutKind : std::uint8_t { kText, kBinary, kRaw, kRawThenAbort, kClose };
  struct Out {
    OutKind kind;
    std::string data;
    std::uint16_t code = 1000;
  };

 public:
  WsConn(Server::Impl* srv, ServerStream<kTls>&& stream, const WsRoute* route, std::uint64_t id, std::string target)
      : srv_(srv), ws_(std::move(stream)), route_(route), id_(id), target_(std::move(target)) {}

  void accept(http::request<http::string_body> req) {
    beast::get_lowest_layer(ws_).expires_never();
    ws_.read_message_max(srv_->cfg.max_ws_message_bytes);
    ws_.auto_fragment(false);
    srv_->add_conn(id_, this->shared_from_this());
    ws_.async_accept(req, [self = this->shared_from_this()](const error_code& ec) { self->on_accept(ec); });
  }

  void send_text(std::string text) override { enqueue(Out{OutKind::kText, std::move(text)}); }
  void send_binary(std::string bytes) override { enqueue(Out{OutKind::kBinary, std::move(bytes)}); }
  void send_raw(std::string bytes) override { enqueue(Out{OutKind::kRaw, std::move(bytes)}); }
  void send_partial_frame_and_abort(std::size_t announced_len, std::string payload) override {
    std::string frame;
    frame.push_back(static_cast<char>(0x81));  // FIN + text
    if (announced_len < 126) {
      frame.push_back(static_cast<char>(announced_len));
    } else if (announced_len <= 0xFFFF) {
      frame.push_back(static_cast<char>(126));
      frame.push_back(static_cast<char>((announced_len >> 8) & 0xFF));
      frame.push_back(static_cast<char>(announced_len & 0xFF));
    } else {
      frame.push_back(static_cast<char>(127));
      for (int i = 7; i >= 0; --i) frame.push_back(static_cast<char>((announced_len >> (8 * i)) & 0xFF));
    }
    frame += payload;
    enqueue(Out{OutKind::kRawThenAbort, std::move(frame)});
  }
  void close(std::uint16_t code) override { enqueue(Out{OutKind::kClose, {}, code}); }
  void abort() override { abort_from_any_thread(); }
  void abort_from_any_thread() override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this()] { self->abort_now(); });
  }
  void set_silent(bool silent) override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this(), silent] {
      self->silent_ = silent;
      beast::get_lowest_layer(self->ws_).rate_policy().set_silent(silent);
      if (silent) {
        // Keep the frame being written (if any); drop the rest.
        while (self->out_.size() > (self->writing_ ? 1U : 0U)) self->out_.pop_back();
      }
    });
  }
  std::uint64_t id() const noexcept override { return id_; }
  std::string_view path() const noexcept override { return target_; }
  bool open() const noexcept override { return open_.load(std::memory_order_acquire); }

 private:
  void on_accept(const error_code& ec) {
    if (ec) return ended();
    open_.store(true, std::memory_order_release);
    srv_->c_ws.fetch_add(1, std::memory_order_relaxed);
    {
      std::lock_guard lock(srv_->mu);
      srv_->sessions[id_] = std::static_pointer_cast<WsServerSession>(this->shared_from_this());
    }
    if (route_->on_open) route_->on_open(this->shared_from_this());
    do_read();
  }

  void do_read() {
    ws_.async_read(buf_, [self = this->shared_from_this()](const error_code& ec, std::size_t) {
      if (ec) return self->ended();
      self->srv_->c_ws_rx.fetch_add(1, std::memory_order_relaxed);
      const auto d = self->buf_.data();
      if (self->route_->on_message) {
        self->route_->on_message(self->shared_from_this(),
                                 std::string_view(static_cast<const char*>(d.data()), d.size()),
                                 self->ws_.got_text());
      }
      self->buf_.consume(self->buf_.size());
      self->do_read();
    });
  }

  void enqueue(Out out) {
    asio::post(ws_.get_executor(), [self = this->shared_from_this(), out = std::move(out)]() mutable {
      if (!self->open_.load(std::memory_order_relaxed) || self->silent_) return;
      self->out_.push_back(std::move(out));
      if (!self->writing_) self->write_next();
    });
  }

  void write_next() {
    if (out_.empty() || !open_.load(std::memory_order_relaxed)) {
      writing_ = false;
      return;
    }
    writing_ = true;
    Out& o = out_.front();
    auto done = [self = this->shared_from_this()](const error_code& ec, std::size_t = 0) {
      if (ec) {
        self->writing_ = false;
        self->out_.clear();
        return;  // the read side reports the end
      }
      const bool abort_after = self->out_.front().kind == OutKind::kRawThenAbort;
      self->out_.pop_front();
      if (abort_after) return self->abort_now();
      self->write_next();
    };
    switch (o.kind) {
      case OutKind::kText:
      case OutKind::kBinary:
        ws_.text(o.kind == OutKind::kText);
        ws_.async_write(asio::buffer(o.data), std::move(done));
        break;
      case OutKind::kRaw:
      case OutKind::kRawThenAbort:
        asio::async_write(ws_.next_layer(), asio::buffer(o.data), std::move(done));
        break;
      case OutKind::kClose:
        ws_.async_close(websocket::close_reason(o.code),
                        [self = this->shared_from_this()](const error_code&) {
                          self->writing_ = false;
                          self->out_.clear();
                        });
        break;
    }
  }

  void abort_now() {
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  void ended() {
    const bool was_open = open_.exchange(false, std::memory_order_acq_rel);
    srv_->remove_conn(id_);
    if (was_open && route_->on_close) route_->on_close(this->shared_from_this());
  }

  Server::Impl* srv_;
  websocket::stream<ServerStream<kTls>> ws_;
  const WsRoute* route_;
  std::uint64_t id_;
  std::string target_;
  beast::flat_buffer buf_;
  std::deque<Out> out_;
  bool writing_ = false;
  bool silent_ = false;
  std::atomic<bool> open_{false};
};

template <bool kTls>
class HttpConn final : public ConnBase, public std::enable_shared_from_this<HttpConn<kTls>> {
 public:
  HttpConn(Server::Impl* srv, tcp::socket&& socket, std::uint64_t id)
      : srv_(srv), stream_(make_stream(srv, std::move(socket))), id_(id), timer_(stream_.get_executor()) {}

  void start() {
    srv_->add_conn(id_, this->shared_from_this());
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(10));
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](const error_code& ec) {
        if (ec) {
          self->srv_->c_tls_failed.fetch_add(1, std::memory_order_relaxed);
          return self->finish();
        }
        self->do_read();
      });
    } else {
      do_read();
    }
  }

  void abort_from_any_thread() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->close_socket(); });
  }

 private:
  static ServerStream<kTls> make_stream(Server::Impl* srv, tcp::socket&& socket) {
    if constexpr (kTls) {
      return ServerStream<kTls>(ServerTcp(std::move(socket)),
                                *static_cast<asio::ssl::context*>(srv->tls->native()));
    } else {
      return ServerTcp(std::move(socket));
    }
  }

  void do_read() {
    parser_.emplace();
    parser_->body_limit(srv_->cfg.max_request_body_bytes);
    beast::get_lowest_layer(stream_).expires_never();
    http::async_read(stream_, buf_, *parser_, [self = this->shared_from_this()](const error_code& ec, std::size_t) {
      if (ec) return self->finish();
      self->on_request();
    });
  }

  void on_request() {
    auto& req = parser_->get();
    const std::string target(req.target());
    const std::string_view path = std::string_view(target).substr(0, target.find('?'));
    if (websocket::is_upgrade(req)) {
      auto it = srv_->ws_routes.find(std::string(path));
      if (it != srv_->ws_routes.end()) {
        srv_->remove_conn(id_);
        auto ws = std::make_shared<WsConn<kTls>>(srv_, std::move(stream_), &it->second, id_, target);
        ws->accept(parser_->release());
        return;
      }
    }
    srv_->c_http.fetch_add(1, std::memory_order_relaxed);
    ServerRequest sreq;
    const std::string method(req.method_string());
    sreq.method = method;
    sreq.target = target;
    sreq.path = path;
    const auto q = target.find('?');
    if (q != std::string::npos) sreq.query = std::string_view(target).substr(q + 1);
    sreq.body = req.body();
    sreq.connection_id = id_;
    sreq.request_index = index_++;
    for (const auto& f : req) {
      sreq.headers.emplace_back(std::string_view(f.name_string().data(), f.name_string().size()),
                                std::string_view(f.value().data(), f.value().size()));
    }
    ServerResponse sres;
    if (const HttpRouteHandler* h = srv_->find_route(sreq.method, sreq.path)) {
      (*h)(sreq, sres);
    } else {
      sres.status = 404;
      sres.body = R"({"error":"not found"})";
    }
    if (sres.drop_without_response) return close_socket();
    if (sres.never_respond || srv_->http_silent.load(std::memory_order_relaxed)) {
      return do_read();  // keeps the connection (and this object) alive, never answers
    }

    res_.emplace(static_cast<http::status>(sres.status), req.version());
    res_->set(http::field::server, "polybot-sim");
    if (!sres.body.empty() || !sres.content_type.empty()) res_->set(http::field::content_type, sres.content_type);
    for (const auto& [k, v] : sres.headers) res_->set(k, v);
    res_->body() = std::move(sres.body);
    res_->keep_alive(req.keep_alive() && !sres.close_after);
    res_->prepare_payload();

    const std::uint32_t delay = sres.delay_ms + srv_->http_delay_ms.load(std::memory_order_relaxed);
    if (delay == 0) return write_response();
    timer_.expires_after(std::chrono::milliseconds(delay));
    timer_.async_wait([self = this->shared_from_this()](const error_code& ec) {
      if (ec) return self->finish();
      self->write_response();
    });
  }

  void write_response() {
    http::async_write(stream_, *res_, [self = this->shared_from_this()](const error_code& ec, std::size_t) {
      if (ec) return self->finish();
      if (!self->res_->keep_alive()) return self->graceful_close();
      self->do_read();
    });
  }

  void graceful_close() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = this->shared_from_this()](const error_code&) { self->close_socket(); });
    } else {
      error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      close_socket();
    }
  }

  void close_socket() {
    error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
    finish();
  }

  void finish() { srv_->remove_conn(id_); }

  Server::Impl* srv_;
  ServerStream<kTls> stream_;
  std::uint64_t id_;
  asio::steady_timer timer_;
  beast::flat_buffer buf_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> res_;
  std::uint32_t index_ = 0;
};

}  // namespace

void Server::Impl::do_accept() {
  acceptor->async_accept(asio::make_strand(ioc), [this](const error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
    if (!ec) {
      const std::uint64_t id = next_conn_id.fetch_add(1, std::memory_order_relaxed) + 1;
      c_accepted.fetch_add(1, std::memory_order_relaxed);
      error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      if (cfg.tls) {
        std::make_shared<HttpConn<true>>(this, std::move(socket), id)->start();
      } else {
        std::make_shared<HttpConn<false>>(this, std::move(socket), id)->start();
      }
    }
    do_accept();
  });
}

Server::Server(ServerConfig config) : impl_(std::make_shared<Impl>(std::move(config))) {}
Server::~Server() { stop(); }

void Server::route(std::string method, std::string path, HttpRouteHandler handler) {
  impl_->routes[{std::move(method), std::move(path)}] = std::move(handler);
}
void Server::fallback(HttpRouteHandler handler) { impl_->fallback = std::move(handler); }
void Server::websocket(std::string path, WsRoute route) { impl_->ws_routes[std::move(path)] = std::move(route); }

Result<std::uint16_t, NetError> Server::start() {
  auto& s = *impl_;
  if (s.running) return s.port;
  if (s.cfg.threads < 1) return Err{NetError::kBadConfig};
  if (s.cfg.tls) {
    auto ctx = TlsServerContext::create(s.cfg.tls_options);
    if (!ctx) return Err{NetError::kTlsSetup};
    s.tls.emplace(std::move(ctx.value()));
  }
  error_code ec;
  const auto addr = asio::ip::make_address(s.cfg.bind_address, ec);
  if (ec) return Err{NetError::kBadConfig};
  s.ioc.restart();
  s.acceptor.emplace(s.ioc);
  const tcp::endpoint ep(addr, s.cfg.port);
  s.acceptor->open(ep.protocol(), ec);
  if (!ec) s.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor->bind(ep, ec);
  if (!ec) s.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    s.acceptor.reset();
    return Err{NetError::kBind};
  }
  s.port = s.acceptor->local_endpoint().port();
  s.guard.emplace(s.ioc.get_executor());
  s.do_accept();
  for (int i = 0; i < s.cfg.threads; ++i) {
    s.threads.emplace_back([&s] {
      for (;;) {
        try {
          s.ioc.run();
          return;
        } catch (...) {
          // A route handler threw: keep serving (the simulator reports its own errors).
        }
      }
    });
  }
  s.running = true;
  return s.port;
}

void Server::stop() {
  auto& s = *impl_;
  if (!s.running) return;
  s.running = false;
  std::promise<void> closed;
  asio::post(s.ioc, [&s, &closed] {
    error_code ignored;
    if (s.acceptor) s.acceptor->close(ignored);
    closed.set_value();
  });
  closed.get_future().wait();
  close_all_connections();
  // Let the aborts run, then stop the threads.
  std::promise<void> drained;
  asio::post(s.ioc, [&drained] { drained.set_value(); });
  drained.get_future().wait_for(std::chrono::seconds(2));
  s.guard.reset();
  s.ioc.stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
  {
    std::lock_guard lock(s.mu);
    s.conns.clear();
    s.sessions.clear();
  }
  s.acceptor.reset();
}

std::uint16_t Server::port() const noexcept { return impl_->port; }

ServerCounters Server::counters() const noexcept {
  const auto& s = *impl_;
  return ServerCounters{s.c_accepted.load(), s.c_tls_failed.load(), s.c_http.load(), s.c_ws.load(),
                        s.c_ws_rx.load()};
}

std::vector<WsSessionPtr> Server::sessions() const {
  std::vector<WsSessionPtr> out;
  std::lock_guard lock(impl_->mu);
  for (const auto& [id, weak] : impl_->sessions) {
    if (auto p = weak.lock()) out.push_back(std::move(p));
  }
  return out;
}

void Server::broadcast_text(std::string_view path, const std::string& text) {
  for (const auto& session : sessions()) {
    if (path.empty() || session->path().substr(0, session->path().find('?')) == path) session->send_text(text);
  }
}

void Server::set_http_delay_ms(std::uint32_t ms) noexcept { impl_->http_delay_ms.store(ms); }
void Server::set_http_silent(bool silent) noexcept { impl_->http_silent.store(silent); }

void Server::close_all_connections() {
  std::vector<std::shared_ptr<ConnBase>> all;
  {
    std::lock_guard lock(impl_->mu);
    for (const auto& [id, weak] : impl_->conns) {
      if (auto p = weak.lock()) all.push_back(std::move(p));
    }
  }
  for (const auto& c : all) c->abort_from_any_thread();
}

}  // namespace polybot::net
