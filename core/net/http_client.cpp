// HttpClient implementation: one template for https:// and http://. The connection keeps one read pending at
// all times, so a server that closes an idle keep-alive connection is noticed at once (and TLS 1.3 session
// tickets are absorbed); responses are parsed by feeding a Beast parser from our own preallocated buffer.
#include "core/net/http_client.hpp"
#include "core/net/write_probe.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_static_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <charconv>
#include <chrono>
#include <optional>

#include "core/clock.hpp"
#include "core/net/detail/common.hpp"
#include "core/net/io_loop.hpp"
#include "core/net/tls_context.hpp"
#include "core/net/url.hpp"

namespace polybot::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

std::string_view to_string(HttpMethod m) noexcept {
  switch (m) {
    case HttpMethod::kGet: return "GET";
    case HttpMethod::kPost: return "POST";
    case HttpMethod::kPut: return "PUT";
    case HttpMethod::kDelete: return "DELETE";
    case HttpMethod::kPatch: return "PATCH";
    case HttpMethod::kHead: return "HEAD";
  }
  return "GET";
}

namespace {
bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}
constexpr std::size_t kMaxHeaders = 64;
constexpr std::size_t kHeaderArenaBytes = 32U << 10;

// Bump allocator for the response header fields of one response: reset before each response, deallocation is
// a no-op; when a response's headers outgrow the block, the excess goes to the heap (counted nowhere, rare).
struct Arena {
  std::unique_ptr<unsigned char[]> mem = std::make_unique<unsigned char[]>(kHeaderArenaBytes);
  std::size_t used = 0;
};

template <class T>
class ArenaAllocator {
 public:
  using value_type = T;
  explicit ArenaAllocator(Arena* a) noexcept : a_(a) {}
  template <class U>
  ArenaAllocator(const ArenaAllocator<U>& o) noexcept : a_(o.arena()) {}  // NOLINT
  T* allocate(std::size_t n) {
    constexpr std::size_t kAlign = alignof(std::max_align_t);
    const std::size_t bytes = (n * sizeof(T) + kAlign - 1) / kAlign * kAlign;
    if (alignof(T) <= kAlign && a_->used + bytes <= kHeaderArenaBytes) {
      T* p = reinterpret_cast<T*>(a_->mem.get() + a_->used);
      a_->used += bytes;
      return p;
    }
    return static_cast<T*>(::operator new(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t) noexcept {
    const auto* b = reinterpret_cast<const unsigned char*>(p);
    if (b >= a_->mem.get() && b < a_->mem.get() + kHeaderArenaBytes) return;
    ::operator delete(p);
  }
  [[nodiscard]] Arena* arena() const noexcept { return a_; }
  template <class U>
  bool operator==(const ArenaAllocator<U>& o) const noexcept {
    return a_ == o.arena();
  }

 private:
  Arena* a_;
};
constexpr std::size_t kReadChunk = 64U << 10;
}  // namespace

std::string_view HttpResponse::header(std::string_view name) const noexcept {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) return h.value;
  }
  return {};
}

namespace {
thread_local std::int64_t t_write_handoff_ns = 0;
}  // namespace

std::int64_t last_write_handoff_ns() noexcept { return t_write_handoff_ns; }

struct HttpClient::Impl {
  virtual ~Impl() = default;
  virtual void start() = 0;
  virtual NetError submit(const HttpRequest& req) = 0;
  virtual void close() = 0;
  virtual void shutdown() = 0;
  virtual bool connected() const = 0;
  virtual std::size_t pending() const = 0;

  HttpCounters counters() const noexcept {
    auto r = [](const std::atomic<std::uint64_t>& a) { return a.load(std::memory_order_relaxed); };
    return HttpCounters{r(c_requests_), r(c_responses_), r(c_errors_), r(c_connections_),
                        r(c_timeouts_), r(c_retries_),   r(c_rejected_)};
  }

  HttpClient* owner_ = nullptr;
  std::atomic<std::uint64_t> c_requests_{0}, c_responses_{0}, c_errors_{0}, c_connections_{0}, c_timeouts_{0},
      c_retries_{0}, c_rejected_{0};
};

namespace {

template <bool kTls>
struct HttpStreamOf;
template <>
struct HttpStreamOf<true> {
  using type = beast::ssl_stream<beast::tcp_stream>;
};
template <>
struct HttpStreamOf<false> {
  using type = beast::tcp_stream;
};

enum class ConnState : std::uint8_t { kDisconnected, kConnecting, kConnected };

struct Slot {
  std::string bytes;  // the serialized request, capacity reserved once
  std::uint64_t tag = 0;
  HttpMethod method = HttpMethod::kGet;
  bool retried = false;
};

template <bool kTls>
class Client final : public HttpClient::Impl, public std::enable_shared_from_this<Client<kTls>> {
  using Stream = typename HttpStreamOf<kTls>::type;
  using Parser = http::response_parser<http::span_body<char>, ArenaAllocator<char>>;

 public:
  Client(IoLoop& loop, const TlsClientContext* tls, HttpClientConfig cfg, Url url, HttpHandler& handler)
      : ioc_(loop.context()),
        ssl_ctx_(tls != nullptr ? static_cast<asio::ssl::context*>(tls->native()) : nullptr),
        cfg_(std::move(cfg)),
        url_(std::move(url)),
        handler_(handler),
        host_header_(url_.host_header()),
        backoff_(cfg_.backoff),
        resolver_(ioc_),
        conn_timer_(ioc_),
        req_timer_(ioc_),
        warm_timer_(ioc_) {
    slots_.resize(cfg_.queue_depth);
    for (auto& s : slots_) s.bytes.reserve(cfg_.max_request_bytes);
    rmem_ = std::make_unique<char[]>(cfg_.max_response_header_bytes + kReadChunk);
    rbuf_.reset(rmem_.get(), cfg_.max_response_header_bytes + kReadChunk);
    body_mem_ = std::make_unique<char[]>(cfg_.max_response_body_bytes + kFramePadding);
    std::fill_n(body_mem_.get(), cfg_.max_response_body_bytes + kFramePadding, '\0');
  }

  void start() override {
    closed_ = false;
    if (cfg_.keep_warm && state_ == ConnState::kDisconnected) connect();
  }

  NetError submit(const HttpRequest& req) override {
    if (count_ == slots_.size()) return reject(NetError::kQueueFull);
    const std::string_view method = to_string(req.method);
    const bool send_length = !req.body.empty() || req.method == HttpMethod::kPost ||
                             req.method == HttpMethod::kPut || req.method == HttpMethod::kPatch;
    char len_buf[24];
    const auto len_end = std::to_chars(len_buf, len_buf + sizeof(len_buf), req.body.size()).ptr;
    const std::string_view len(len_buf, static_cast<std::size_t>(len_end - len_buf));
    // Exact size first, so an oversized request is refused before touching the slot.
    std::size_t need = method.size() + 1 + req.target.size() + 11 + 6 + host_header_.size() + 2;
    if (!cfg_.user_agent.empty()) need += 12 + cfg_.user_agent.size() + 2;
    for (const auto& [k, v] : cfg_.default_headers) need += k.size() + 2 + v.size() + 2;
    for (const auto& h : req.headers) need += h.name.size() + 2 + h.value.size() + 2;
    if (!req.body.empty()) need += 14 + req.content_type.size() + 2;
    if (send_length) need += 16 + len.size() + 2;
    need += 2 + req.body.size();
    if (need > cfg_.max_request_bytes || req.target.empty()) return reject(NetError::kTooLarge);

    Slot& slot = slots_[(head_ + count_) % slots_.size()];
    std::string& b = slot.bytes;
    b.clear();
    auto line = [&b](std::string_view k, std::string_view v) {
      b.append(k).append(": ", 2).append(v).append("\r\n", 2);  // lengths given: no strlen per header
    };
    b.append(method).append(" ", 1).append(req.target).append(" HTTP/1.1\r\n", 11);
    line("Host", host_header_);
    if (!cfg_.user_agent.empty()) line("User-Agent", cfg_.user_agent);
    for (const auto& [k, v] : cfg_.default_headers) line(k, v);
    for (const auto& h : req.headers) line(h.name, h.value);
    if (!req.body.empty()) line("Content-Type", req.content_type);
    if (send_length) line("Content-Length", len);
    b.append("\r\n", 2).append(req.body);
    slot.tag = req.tag;
    slot.method = req.method;
    slot.retried = false;
    ++count_;
    closed_ = false;
    pump();
    return NetError::kOk;
  }

  void close() override {
    closed_ = true;
    warm_timer_.cancel();
    disconnect();
    fail_all(NetError::kStopped, "closed by owner");
  }

  void shutdown() override {
    owner_ = nullptr;
    closed_ = true;
    warm_timer_.cancel();
    disconnect();
    count_ = 0;
  }

  bool connected() const override { return state_ == ConnState::kConnected; }
  std::size_t pending() const override { return count_; }

 private:
  std::shared_ptr<Client> self() { return this->shared_from_this(); }
  static std::int64_t mono_ns() noexcept { return monotonic_ns(); }

  NetError reject(NetError e) {
    detail::bump(c_rejected_);
    return e;
  }

  // ---- connection -------------------------------------------------------------------------------------
  void connect() {
    disconnect();
    state_ = ConnState::kConnecting;
    conn_timer_.expires_after(std::chrono::milliseconds(cfg_.connect_timeout_ms));
    conn_timer_.async_wait([self = self(), gen = gen_](const error_code& ec) {
      if (ec || gen != self->gen_) return;
      detail::bump(self->c_timeouts_);
      self->connect_failed(NetError::kTimeout, "connect timed out");
    });
    resolver_.async_resolve(url_.host, url_.port_str,
                            [self = self(), gen = gen_](const error_code& ec, tcp::resolver::results_type r) {
                              if (gen != self->gen_) return;
                              if (ec) return self->connect_failed(NetError::kResolve, ec.message());
                              self->on_resolve(std::move(r));
                            });
  }

  void on_resolve(tcp::resolver::results_type results) {
    if constexpr (kTls) {
      stream_ = std::make_shared<Stream>(ioc_, *ssl_ctx_);
    } else {
      stream_ = std::make_shared<Stream>(ioc_);
    }
    beast::get_lowest_layer(*stream_).async_connect(
        results, [self = self(), s = stream_, gen = gen_](const error_code& ec, const tcp::endpoint&) {
          if (gen != self->gen_) return;
          if (ec) return self->connect_failed(NetError::kConnect, ec.message());
          self->on_tcp();
        });
  }

  void on_tcp() {
    error_code ignored;
    beast::get_lowest_layer(*stream_).socket().set_option(tcp::no_delay(true), ignored);
    if constexpr (kTls) {
      if (!detail::set_peer_identity(stream_->native_handle(), url_.host)) {
        return connect_failed(NetError::kTlsSetup, "cannot set SNI / verified host name");
      }
      stream_->async_handshake(asio::ssl::stream_base::client,
                               [self = self(), s = stream_, gen = gen_](const error_code& ec) {
                                 if (gen != self->gen_) return;
                                 if (ec) {
                                   std::string why = ec.message();
                                   const NetError e = detail::classify_handshake(s->native_handle(), why);
                                   return self->connect_failed(e, why);
                                 }
                                 self->on_connected();
                               });
    } else {
      on_connected();
    }
  }

  void on_connected() {
    conn_timer_.cancel();
    state_ = ConnState::kConnected;
    requests_on_conn_ = 0;
    backoff_.reset();
    detail::bump(c_connections_);
    do_read();
    pump();
  }

  void connect_failed(NetError e, std::string why) {
    disconnect();
    fail_all(e, why);
    schedule_warm();
  }

  // Closes the socket and invalidates pending handlers. No callbacks.
  void disconnect() {
    ++gen_;
    error_code ignored;
    resolver_.cancel();
    conn_timer_.cancel();
    req_timer_.cancel();
    req_timer_armed_ = false;
    if (stream_) {
      beast::get_lowest_layer(*stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(*stream_).socket().close(ignored);
      stream_.reset();
    }
    state_ = ConnState::kDisconnected;
    busy_ = false;
    rbuf_.clear();
  }

  void schedule_warm() {
    // Queued requests (submitted from a failure callback) also wait here, so a refusing server is not hammered.
    if (closed_ || state_ != ConnState::kDisconnected || (!cfg_.keep_warm && count_ == 0)) return;
    warm_timer_.expires_after(std::chrono::milliseconds(backoff_.next_delay_ms()));
    warm_timer_.async_wait([self = self()](const error_code& ec) {
      if (ec || self->closed_ || self->state_ != ConnState::kDisconnected) return;
      if (self->cfg_.keep_warm || self->count_ > 0) self->connect();
    });
  }

  // The connection ended (server close, error, timeout, Connection: close). Queued requests reconnect now.
  void after_disconnect() {
    if (count_ > 0 && !in_callback_) {
      connect();
    } else {
      schedule_warm();
    }
  }

  // ---- requests ---------------------------------------------------------------------------------------
  void pump() {
    if (in_callback_ || busy_ || count_ == 0) return;
    if (state_ == ConnState::kDisconnected) return connect();
    if (state_ != ConnState::kConnected) return;
    busy_ = true;
    bytes_seen_ = 0;
    Slot& slot = slots_[head_];
    parser_.reset();
    arena_.used = 0;
    parser_.emplace(std::piecewise_construct,
                    std::make_tuple(http::span_body<char>::value_type(body_mem_.get(), cfg_.max_response_body_bytes)),
                    std::make_tuple(ArenaAllocator<char>(&arena_)));
    parser_->eager(true);
    parser_->body_limit(cfg_.max_response_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(cfg_.max_response_header_bytes));
    if (slot.method == HttpMethod::kHead) parser_->skip(true);
    reused_ = requests_on_conn_ > 0;
    ++requests_on_conn_;
    const std::uint64_t seq = ++seq_;
    detail::bump(c_requests_);
    ++requests_since_timer_;
    // Taken last, right before the TLS write: the response latency and the timeout start here, and benchmarks
    // read it (write_probe.hpp) to split the engine's part of decision-to-socket from the TLS + kernel part.
    write_start_ns_ = mono_ns();
    t_write_handoff_ns = write_start_ns_;
    if (!req_timer_armed_) arm_request_timer(write_start_ns_ + cfg_.request_timeout_ms * 1'000'000LL);
    asio::async_write(*stream_, asio::buffer(slot.bytes),
                      [self = self(), s = stream_, gen = gen_, seq](const error_code& ec, std::size_t) {
                        if (gen != self->gen_ || seq != self->seq_ || !self->busy_ || !ec) return;
                        self->request_failed(detail::classify(ec, NetError::kIo), ec.message(), true);
                      });
  }

  // One request timer per connection, armed lazily: a request does not re-arm it (re-arming is a timerfd syscall
  // on the write path). When it fires it fails the request in flight if that one is past its deadline, re-arms for
  // the rest of its time if not, and while idle stays armed only if requests came since it last fired.
  void arm_request_timer(std::int64_t deadline_ns) {
    req_timer_armed_ = true;
    requests_since_timer_ = 0;
    req_timer_.expires_after(std::chrono::nanoseconds(std::max<std::int64_t>(deadline_ns - mono_ns(), 0)));
    req_timer_.async_wait([self = self(), gen = gen_](const error_code& ec) {
      if (ec || gen != self->gen_) return;
      self->req_timer_armed_ = false;
      self->on_request_timer();
    });
  }

  void on_request_timer() {
    const std::int64_t timeout_ns = cfg_.request_timeout_ms * 1'000'000LL;
    if (busy_) {
      const std::int64_t deadline = write_start_ns_ + timeout_ns;
      if (mono_ns() >= deadline) {
        detail::bump(c_timeouts_);
        return request_failed(NetError::kTimeout, "request timed out", false);
      }
      return arm_request_timer(deadline);
    }
    if (requests_since_timer_ > 0) arm_request_timer(mono_ns() + timeout_ns);
  }

  void do_read() {
    const std::size_t room = rbuf_.capacity() - rbuf_.size();
    if (room == 0) {
      return request_failed(NetError::kFrameTooLarge, "response header larger than the read buffer", false);
    }
    stream_->async_read_some(rbuf_.prepare(std::min(room, kReadChunk)),
                             [self = self(), s = stream_, gen = gen_](const error_code& ec, std::size_t n) {
                               if (gen != self->gen_) return;
                               self->on_read(ec, n);
                             });
  }

  void on_read(const error_code& ec, std::size_t n) {
    if (ec) {
      if (busy_ && (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) && parser_ &&
          parser_->got_some() && parser_->need_eof()) {
        error_code ec2;
        parser_->put_eof(ec2);
        if (!ec2 && parser_->is_done()) return complete(false);
      }
      if (busy_) {
        return request_failed(detail::classify(ec, NetError::kIo), ec.message(), true);
      }
      // Idle connection closed by the server (keep-alive timeout): normal, reconnect.
      disconnect();
      return after_disconnect();
    }
    rbuf_.commit(n);
    if (!busy_) {
      // Bytes nobody asked for: the connection's framing can no longer be trusted.
      disconnect();
      return after_disconnect();
    }
    bytes_seen_ += n;
    while (rbuf_.size() > 0 && !parser_->is_done()) {
      error_code pec;
      const std::size_t used = parser_->put(rbuf_.data(), pec);
      rbuf_.consume(used);
      if (pec == http::error::need_more) break;
      if (pec) {
        return request_failed(detail::classify(pec, NetError::kProtocol), pec.message(), false);
      }
      if (used == 0) break;
    }
    if (parser_->is_done()) return complete(parser_->get().keep_alive());
    do_read();
  }

  void complete(bool keep_alive) {
    const std::int64_t recv_ns = cfg_.clock != nullptr ? cfg_.clock->now_ns() : realtime_ns();
    auto& msg = parser_->get();
    std::size_t nh = 0;
    for (const auto& f : msg) {
      if (nh == kMaxHeaders) break;
      headers_[nh++] = HttpHeader{std::string_view(f.name_string().data(), f.name_string().size()),
                                  std::string_view(f.value().data(), f.value().size())};
    }
    const std::size_t body_len = cfg_.max_response_body_bytes - msg.body().size();
    HttpResponse resp;
    resp.error = NetError::kOk;
    resp.status = static_cast<int>(msg.result_int());
    resp.headers = std::span<const HttpHeader>(headers_.data(), nh);
    resp.body = std::string_view(body_mem_.get(), body_len);
    resp.recv_ns = recv_ns;
    resp.latency_ns = mono_ns() - write_start_ns_;
    resp.reused_connection = reused_;
    const std::uint64_t tag = slots_[head_].tag;
    pop();
    busy_ = false;
    detail::bump(c_responses_);
    if (keep_alive) {
      do_read();
    } else {
      disconnect();
    }
    deliver(tag, resp);
    if (!keep_alive) return after_disconnect();
    pump();
  }

  // The in-flight request failed; the connection is dropped. `transport` failures on a reused connection with
  // no response byte may be resent once (idempotent methods only).
  void request_failed(NetError e, std::string why, bool transport) {
    if (!busy_) {
      disconnect();
      return after_disconnect();
    }
    Slot& slot = slots_[head_];
    const bool idempotent = slot.method == HttpMethod::kGet || slot.method == HttpMethod::kHead ||
                            slot.method == HttpMethod::kDelete;
    const bool stale = transport && reused_ && bytes_seen_ == 0 &&
                       (e == NetError::kClosedByPeer || e == NetError::kReset);
    disconnect();
    if (stale && idempotent && cfg_.retry_idempotent_on_stale && !slot.retried) {
      slot.retried = true;
      detail::bump(c_retries_);
      return connect();
    }
    const std::uint64_t tag = slot.tag;
    pop();
    fail_one(tag, e, why);
    after_disconnect();
  }

  void fail_all(NetError e, const std::string& why) {
    while (count_ > 0) {
      const std::uint64_t tag = slots_[head_].tag;
      pop();
      fail_one(tag, e, why);
    }
  }

  void fail_one(std::uint64_t tag, NetError e, std::string_view why) {
    detail::bump(c_errors_);
    HttpResponse resp;
    resp.error = e;
    resp.detail = why;
    resp.recv_ns = cfg_.clock != nullptr ? cfg_.clock->now_ns() : realtime_ns();
    deliver(tag, resp);
  }

  void deliver(std::uint64_t tag, const HttpResponse& resp) {
    if (owner_ == nullptr) return;
    in_callback_ = true;
    handler_.on_response(*owner_, tag, resp);
    in_callback_ = false;
  }

  void pop() {
    head_ = (head_ + 1) % slots_.size();
    --count_;
  }

  asio::io_context& ioc_;
  asio::ssl::context* ssl_ctx_;
  HttpClientConfig cfg_;
  Url url_;
  HttpHandler& handler_;
  std::string host_header_;
  Backoff backoff_;
  tcp::resolver resolver_;
  asio::steady_timer conn_timer_;
  asio::steady_timer req_timer_;
  asio::steady_timer warm_timer_;
  std::shared_ptr<Stream> stream_;
  ConnState state_ = ConnState::kDisconnected;
  std::uint64_t gen_ = 0;
  std::uint64_t seq_ = 0;
  bool closed_ = false;
  bool busy_ = false;
  bool in_callback_ = false;
  bool reused_ = false;
  std::size_t requests_on_conn_ = 0;
  std::size_t bytes_seen_ = 0;
  std::int64_t write_start_ns_ = 0;
  bool req_timer_armed_ = false;
  std::uint32_t requests_since_timer_ = 0;

  std::vector<Slot> slots_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;

  std::unique_ptr<char[]> rmem_;
  detail::StaticBuffer rbuf_;
  std::unique_ptr<char[]> body_mem_;
  Arena arena_;
  std::optional<Parser> parser_;
  std::array<HttpHeader, kMaxHeaders> headers_{};
};

}  // namespace

Result<std::unique_ptr<HttpClient>, NetError> HttpClient::create(IoLoop& loop, const TlsClientContext* tls,
                                                                 HttpClientConfig config, HttpHandler& handler) {
  auto url = parse_url(config.base_url);
  if (!url || url->websocket()) return Err{NetError::kBadUrl};
  if (config.queue_depth == 0 || config.max_request_bytes == 0 || config.connect_timeout_ms == 0 ||
      config.request_timeout_ms == 0 || config.max_response_header_bytes == 0) {
    return Err{NetError::kBadConfig};
  }
  std::shared_ptr<Impl> impl;
  if (url->tls()) {
    if (tls == nullptr) return Err{NetError::kTlsSetup};
    impl = std::make_shared<Client<true>>(loop, tls, std::move(config), std::move(url.value()), handler);
  } else {
    impl = std::make_shared<Client<false>>(loop, nullptr, std::move(config), std::move(url.value()), handler);
  }
  std::unique_ptr<HttpClient> client(new HttpClient(impl));
  impl->owner_ = client.get();
  return client;
}

HttpClient::HttpClient(std::shared_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
HttpClient::~HttpClient() { impl_->shutdown(); }
void HttpClient::start() noexcept { impl_->start(); }
NetError HttpClient::submit(const HttpRequest& request) noexcept { return impl_->submit(request); }
void HttpClient::close() noexcept { impl_->close(); }
bool HttpClient::connected() const noexcept { return impl_->connected(); }
std::size_t HttpClient::pending() const noexcept { return impl_->pending(); }
HttpCounters HttpClient::counters() const noexcept { return impl_->counters(); }

}  // namespace polybot::net
