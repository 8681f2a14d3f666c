// WsClient implementation: one template for wss:// (TLS) and ws:// (plain), selected at create().
// Handlers hold a shared_ptr to the session and to the stream they were started on, plus the attempt
// generation; a handler from an older attempt only releases its references.
#include "core/net/ws_client.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_static_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>

#include "core/clock.hpp"
#include "core/net/detail/coalescing_stream.hpp"
#include "core/net/detail/common.hpp"
#include "core/net/io_loop.hpp"
#include "core/net/tls_context.hpp"
#include "core/net/url.hpp"

namespace polybot::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

std::string_view to_string(WsState s) noexcept {
  switch (s) {
    case WsState::kIdle: return "idle";
    case WsState::kResolving: return "resolving";
    case WsState::kConnecting: return "connecting";
    case WsState::kTlsHandshake: return "tls_handshake";
    case WsState::kWsHandshake: return "ws_handshake";
    case WsState::kOpen: return "open";
    case WsState::kClosing: return "closing";
    case WsState::kBackoff: return "backoff";
    case WsState::kStopped: return "stopped";
  }
  return "unknown";
}

// The interface the public wrapper talks to; state shared by both stream flavours lives here.
struct WsClient::Impl {
  Impl(IoLoop& loop, WsClientConfig cfg, Url url, WsHandler& handler)
      : ioc_(loop.context()),
        cfg_(std::move(cfg)),
        url_(std::move(url)),
        handler_(handler),
        backoff_(cfg_.backoff),
        resolver_(ioc_),
        deadline_(ioc_),
        backoff_timer_(ioc_),
        ka_timer_(ioc_) {
    rx_mem_ = std::make_unique<char[]>(cfg_.max_frame_bytes + kFramePadding);
    std::fill_n(rx_mem_.get(), cfg_.max_frame_bytes + kFramePadding, '\0');
    rx_buf_.reset(rx_mem_.get(), cfg_.max_frame_bytes);
    slots_.resize(std::max<std::size_t>(cfg_.send_queue_frames, 1));
    for (auto& s : slots_) s.reserve(cfg_.max_send_frame_bytes);
  }
  virtual ~Impl() = default;

  virtual void start() = 0;
  virtual void stop() = 0;
  virtual void force_reconnect() = 0;
  virtual void shutdown() = 0;  // owner destroyed: close everything, no callbacks
  virtual void kick_write() = 0;

  NetError send_text(std::string_view text) noexcept {
    if (state_ != WsState::kOpen) return drop(NetError::kNotOpen);
    if (text.size() > cfg_.max_send_frame_bytes) return drop(NetError::kTooLarge);
    if (count_ == slots_.size()) return drop(NetError::kQueueFull);
    slots_[(head_ + count_) % slots_.size()].assign(text.data(), text.size());
    ++count_;
    kick_write();
    return NetError::kOk;
  }
  NetError drop(NetError e) noexcept {
    detail::bump(c_send_dropped_);
    return e;
  }

  std::int64_t now_ns() const noexcept { return cfg_.clock != nullptr ? cfg_.clock->now_ns() : realtime_ns(); }
  static std::int64_t mono_ms() noexcept { return monotonic_ns() / 1'000'000; }

  WsCounters counters() const noexcept {
    auto r = [](const std::atomic<std::uint64_t>& a) { return a.load(std::memory_order_relaxed); };
    return WsCounters{r(c_frames_rx_), r(c_bytes_rx_), r(c_frames_tx_),     r(c_bytes_tx_), r(c_opens_),
                      r(c_reconnects_), r(c_failures_), r(c_send_dropped_), r(c_pongs_rx_)};
  }

  asio::io_context& ioc_;
  WsClientConfig cfg_;
  Url url_;
  WsHandler& handler_;
  WsClient* owner_ = nullptr;
  Backoff backoff_;
  tcp::resolver resolver_;
  asio::steady_timer deadline_;       // open / close deadline of the current attempt
  asio::steady_timer backoff_timer_;
  asio::steady_timer ka_timer_;       // keep-alive: pings and dead-connection check
  WsState state_ = WsState::kIdle;
  std::uint64_t gen_ = 0;             // bumped at every teardown: handlers of older attempts are ignored
  bool stopped_ = false;

  std::unique_ptr<char[]> rx_mem_;    // max_frame_bytes + kFramePadding, zeroed once
  detail::StaticBuffer rx_buf_;

  std::vector<std::string> slots_;    // ring of outgoing frames, each reserved once
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  bool writing_ = false;
  bool ping_pending_ = false;
  bool close_pending_ = false;

  std::int64_t last_rx_ms_ = 0;
  std::int64_t opened_at_ms_ = 0;
  std::int64_t next_app_ping_ms_ = 0;
  std::int64_t next_ws_ping_ms_ = 0;
  std::string detail_;                // reason text of the last failure (kept to avoid reallocating)

  std::atomic<std::uint64_t> c_frames_rx_{0}, c_bytes_rx_{0}, c_frames_tx_{0}, c_bytes_tx_{0}, c_opens_{0},
      c_reconnects_{0}, c_failures_{0}, c_send_dropped_{0}, c_pongs_rx_{0};
};

namespace {

template <bool kTls>
struct StreamOf;
template <>
struct StreamOf<true> {
  // Not beast::ssl_stream: its flat_stream allocates per coalesced write (see coalescing_stream.hpp).
  using type = websocket::stream<detail::CoalescingStream<asio::ssl::stream<beast::tcp_stream>>>;
};
template <>
struct StreamOf<false> {
  using type = websocket::stream<beast::tcp_stream>;
};

template <bool kTls>
class Session final : public WsClient::Impl, public std::enable_shared_from_this<Session<kTls>> {
  using Ws = typename StreamOf<kTls>::type;

 public:
  Session(IoLoop& loop, const TlsClientContext* tls, WsClientConfig cfg, Url url, WsHandler& handler)
      : Impl(loop, std::move(cfg), std::move(url), handler),
        ssl_ctx_(tls != nullptr ? static_cast<asio::ssl::context*>(tls->native()) : nullptr) {}

  void start() override {
    if (state_ != WsState::kIdle && state_ != WsState::kStopped) return;
    stopped_ = false;
    backoff_.reset();
    begin_attempt();
  }

  void stop() override {
    stopped_ = true;
    switch (state_) {
      case WsState::kIdle:
      case WsState::kStopped:
      case WsState::kClosing:
        return;
      case WsState::kOpen:
        state_ = WsState::kClosing;
        arm_deadline(cfg_.close_timeout_ms);
        if (writing_) {
          close_pending_ = true;
        } else {
          start_close();
        }
        return;
      case WsState::kBackoff:
        backoff_timer_.cancel();
        finish(NetError::kStopped, "stopped by owner", false);
        return;
      default:
        finish(NetError::kStopped, "stopped by owner", false);
        return;
    }
  }

  void force_reconnect() override {
    if (state_ == WsState::kIdle || state_ == WsState::kStopped) return;
    if (state_ == WsState::kBackoff) {
      backoff_timer_.cancel();
      begin_attempt();
      return;
    }
    fail(NetError::kReset, "force_reconnect by owner");
  }

  void shutdown() override {
    stopped_ = true;
    owner_ = nullptr;
    teardown();
    backoff_timer_.cancel();
    state_ = WsState::kStopped;
  }

  void kick_write() override {
    if (writing_ || !ws_ || (state_ != WsState::kOpen && state_ != WsState::kClosing)) return;
    if (close_pending_) {
      close_pending_ = false;
      start_close();
      return;
    }
    if (state_ != WsState::kOpen) return;
    if (ping_pending_) {
      ping_pending_ = false;
      writing_ = true;
      // Beast allocates the ping frame's state through the handler's allocator: give it our one slot.
      ws_->async_ping({}, asio::bind_allocator(detail::SlotAllocator<void>(&ping_slot_),
                                               [self = self(), ws = ws_, gen = gen_](const error_code& ec) {
                                                 self->on_write(ec, 0, gen, false);
                                               }));
      return;
    }
    if (count_ == 0) return;
    writing_ = true;
    ws_->text(true);
    const std::string& frame = slots_[head_];
    ws_->async_write(asio::buffer(frame), [self = self(), ws = ws_, gen = gen_](const error_code& ec, std::size_t n) {
      self->on_write(ec, n, gen, true);
    });
  }

 private:
  std::shared_ptr<Session> self() { return this->shared_from_this(); }

  void begin_attempt() {
    teardown();
    state_ = WsState::kResolving;
    arm_deadline(cfg_.open_timeout_ms);
    resolver_.async_resolve(url_.host, url_.port_str,
                            [self = self(), gen = gen_](const error_code& ec, tcp::resolver::results_type results) {
                              self->on_resolve(ec, std::move(results), gen);
                            });
  }

  void on_resolve(const error_code& ec, tcp::resolver::results_type results, std::uint64_t gen) {
    if (gen != gen_) return;
    if (ec) return fail(NetError::kResolve, ec.message());
    state_ = WsState::kConnecting;
    if constexpr (kTls) {
      ws_ = std::make_shared<Ws>(ioc_, *ssl_ctx_);
    } else {
      ws_ = std::make_shared<Ws>(ioc_);
    }
    beast::get_lowest_layer(*ws_).async_connect(
        results, [self = self(), ws = ws_, gen](const error_code& ec2, const tcp::endpoint&) {
          self->on_connect(ec2, gen);
        });
  }

  void on_connect(const error_code& ec, std::uint64_t gen) {
    if (gen != gen_) return;
    if (ec) return fail(NetError::kConnect, ec.message());
    error_code ignored;
    beast::get_lowest_layer(*ws_).socket().set_option(tcp::no_delay(true), ignored);
    if constexpr (kTls) {
      state_ = WsState::kTlsHandshake;
      auto& tls = ws_->next_layer().next_layer();
      if (!detail::set_peer_identity(tls.native_handle(), url_.host)) {
        return fail(NetError::kTlsSetup, "cannot set SNI / verified host name");
      }
      tls.async_handshake(asio::ssl::stream_base::client, [self = self(), ws = ws_, gen](const error_code& ec2) {
        self->on_tls(ec2, gen);
      });
    } else {
      ws_handshake();
    }
  }

  void on_tls(const error_code& ec, std::uint64_t gen) {
    if (gen != gen_) return;
    if constexpr (kTls) {
      if (ec) {
        std::string why = ec.message();
        const NetError e = detail::classify_handshake(ws_->next_layer().next_layer().native_handle(), why);
        return fail(e, why);
      }
    }
    ws_handshake();
  }

  void ws_handshake() {
    state_ = WsState::kWsHandshake;
    // Our deadline_ covers the whole open phase; Beast's own timeouts stay off until Open.
    beast::get_lowest_layer(*ws_).expires_never();
    ws_->read_message_max(cfg_.max_frame_bytes);
    ws_->auto_fragment(false);
    ws_->set_option(websocket::stream_base::decorator(
        [ua = cfg_.user_agent, headers = cfg_.headers](websocket::request_type& req) {
          req.set(beast::http::field::user_agent, ua);
          for (const auto& [k, v] : headers) req.set(k, v);
        }));
    ws_->async_handshake(url_.host_header(), url_.target, [self = self(), ws = ws_, gen = gen_](const error_code& ec) {
      self->on_ws_handshake(ec, gen);
    });
  }

  void on_ws_handshake(const error_code& ec, std::uint64_t gen) {
    if (gen != gen_) return;
    if (ec) return fail(detail::classify(ec, NetError::kWsHandshake), ec.message());
    deadline_.cancel();
    state_ = WsState::kOpen;
    detail::bump(c_opens_);
    const bool reconnected = c_opens_.load(std::memory_order_relaxed) > 1;
    if (reconnected) detail::bump(c_reconnects_);
    const auto now = mono_ms();
    last_rx_ms_ = now;
    opened_at_ms_ = now;
    next_app_ping_ms_ = now + cfg_.keepalive.app_ping_interval_ms;
    next_ws_ping_ms_ = now + cfg_.keepalive.ws_ping_interval_ms;
    ws_->control_callback([this](websocket::frame_type kind, beast::string_view) {
      last_rx_ms_ = mono_ms();
      if (kind == websocket::frame_type::pong) detail::bump(c_pongs_rx_);
    });
    arm_keepalive();
    do_read();
    if (owner_ != nullptr) handler_.on_open(*owner_, reconnected);
  }

  void do_read() {
    ws_->async_read(rx_buf_, [self = self(), ws = ws_, gen = gen_](const error_code& ec, std::size_t n) {
      self->on_read(ec, n, gen);
    });
  }

  void on_read(const error_code& ec, std::size_t n, std::uint64_t gen) {
    const std::int64_t recv_ns = now_ns();
    if (gen != gen_) return;
    if (ec) {
      if (state_ == WsState::kClosing && ec == websocket::error::closed) {
        return finish(NetError::kStopped, "stopped by owner", true);
      }
      return fail(detail::classify(ec, NetError::kIo), ec.message());
    }
    last_rx_ms_ = mono_ms();
    const auto data = rx_buf_.data();
    const std::string_view bytes(static_cast<const char*>(data.data()), data.size());
    const bool text = ws_->got_text();
    if (text && !cfg_.keepalive.app_pong_text.empty() && bytes == cfg_.keepalive.app_pong_text) {
      detail::bump(c_pongs_rx_);
    } else {
      detail::bump(c_frames_rx_);
      detail::bump(c_bytes_rx_, n);
      // The bytes after the message up to max_frame_bytes + kFramePadding are inside rx_mem_, so the
      // padding promise holds for every message that fits.
      if (owner_ != nullptr) handler_.on_frame(*owner_, WsFrame{bytes, text, recv_ns});
    }
    rx_buf_.clear();
    if (gen == gen_ && state_ == WsState::kOpen) do_read();
  }

  void on_write(const error_code& ec, std::size_t n, std::uint64_t gen, bool data_frame) {
    if (gen != gen_) return;
    writing_ = false;
    if (ec) {
      if (state_ == WsState::kClosing) return;
      return fail(detail::classify(ec, NetError::kIo), ec.message());
    }
    if (data_frame) {
      detail::bump(c_frames_tx_);
      detail::bump(c_bytes_tx_, n);
      head_ = (head_ + 1) % slots_.size();
      --count_;
    }
    kick_write();
  }

  void start_close() {
    writing_ = true;
    ws_->async_close(websocket::close_code::normal, [self = self(), ws = ws_, gen = gen_](const error_code&) {
      if (gen != self->gen_) return;
      self->writing_ = false;
      // The pending read completes with `closed` when the peer's close frame arrives; finish here only if it
      // has not already.
      self->finish(NetError::kStopped, "stopped by owner", true);
    });
  }

  void arm_deadline(std::uint32_t ms) {
    deadline_.expires_after(std::chrono::milliseconds(ms));
    deadline_.async_wait([self = self(), gen = gen_](const error_code& ec) {
      if (ec || gen != self->gen_) return;
      if (self->state_ == WsState::kClosing) {
        self->finish(NetError::kStopped, "stopped by owner (close timed out)", true);
      } else {
        self->fail(NetError::kTimeout, "open timed out in state " + std::string(to_string(self->state_)));
      }
    });
  }

  void arm_keepalive() {
    const auto& ka = cfg_.keepalive;
    std::int64_t next = INT64_MAX;
    if (ka.app_ping_interval_ms != 0) next = std::min(next, next_app_ping_ms_);
    if (ka.ws_ping_interval_ms != 0) next = std::min(next, next_ws_ping_ms_);
    if (ka.dead_after_ms != 0) next = std::min<std::int64_t>(next, last_rx_ms_ + ka.dead_after_ms);
    if (next == INT64_MAX) return;
    const auto delay = std::max<std::int64_t>(next - mono_ms(), 0);
    ka_timer_.expires_after(std::chrono::milliseconds(delay));
    ka_timer_.async_wait([self = self(), gen = gen_](const error_code& ec) {
      if (ec || gen != self->gen_) return;
      self->on_keepalive();
    });
  }

  void on_keepalive() {
    if (state_ != WsState::kOpen) return;
    const auto& ka = cfg_.keepalive;
    const auto now = mono_ms();
    if (ka.dead_after_ms != 0 && now - last_rx_ms_ >= ka.dead_after_ms) {
      return fail(NetError::kDeadConnection,
                  "nothing received for " + std::to_string(now - last_rx_ms_) + " ms");
    }
    if (ka.app_ping_interval_ms != 0 && now >= next_app_ping_ms_) {
      next_app_ping_ms_ = now + ka.app_ping_interval_ms;
      (void)send_text(ka.app_ping_text);
    }
    if (ka.ws_ping_interval_ms != 0 && now >= next_ws_ping_ms_) {
      next_ws_ping_ms_ = now + ka.ws_ping_interval_ms;
      ping_pending_ = true;
      kick_write();
    }
    arm_keepalive();
  }

  // Closes the socket of the current attempt and invalidates its handlers. No callbacks.
  void teardown() {
    ++gen_;
    error_code ignored;
    resolver_.cancel();
    deadline_.cancel();
    ka_timer_.cancel();
    if (ws_) {
      beast::get_lowest_layer(*ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(*ws_).socket().close(ignored);
      ws_.reset();  // handlers still pending keep their own reference to the stream
    }
    writing_ = false;
    ping_pending_ = false;
    close_pending_ = false;
    head_ = 0;
    count_ = 0;
    rx_buf_.clear();
  }

  // A failure in any state: tear down, then back off (or stop) and tell the owner.
  void fail(NetError reason, std::string why) {
    const bool was_open = state_ == WsState::kOpen || state_ == WsState::kClosing;
    const std::int64_t lived_ms = was_open ? mono_ms() - opened_at_ms_ : 0;
    teardown();
    detail::bump(c_failures_);
    detail_ = std::move(why);
    if (stopped_ || !cfg_.reconnect) {
      state_ = WsState::kStopped;
      notify(reason, was_open, false, 0);
      return;
    }
    if (was_open && lived_ms >= cfg_.backoff.reset_after_ms) backoff_.reset();
    const std::uint32_t delay = backoff_.next_delay_ms();
    state_ = WsState::kBackoff;
    backoff_timer_.expires_after(std::chrono::milliseconds(delay));
    backoff_timer_.async_wait([self = self(), gen = gen_](const error_code& ec) {
      if (ec || gen != self->gen_ || self->state_ != WsState::kBackoff) return;
      self->begin_attempt();
    });
    notify(reason, was_open, true, delay);
  }

  // The owner's stop() completed.
  void finish(NetError reason, const char* why, bool was_open) {
    if (state_ == WsState::kStopped) return;
    teardown();
    state_ = WsState::kStopped;
    detail_ = why;
    notify(reason, was_open, false, 0);
  }

  void notify(NetError reason, bool was_open, bool will_reconnect, std::uint32_t delay) {
    if (owner_ == nullptr) return;
    handler_.on_disconnect(*owner_, WsDisconnect{reason, detail_, was_open, will_reconnect, delay});
  }

  asio::ssl::context* ssl_ctx_;
  std::shared_ptr<Ws> ws_;
  detail::HandlerSlot ping_slot_;
};

}  // namespace

Result<std::unique_ptr<WsClient>, NetError> WsClient::create(IoLoop& loop, const TlsClientContext* tls,
                                                             WsClientConfig config, WsHandler& handler) {
  auto url = parse_url(config.url);
  if (!url || !url->websocket()) return Err{NetError::kBadUrl};
  if (config.max_frame_bytes == 0 || config.send_queue_frames == 0 || config.max_send_frame_bytes == 0 ||
      config.open_timeout_ms == 0 || config.backoff.cap_ms < config.backoff.base_ms) {
    return Err{NetError::kBadConfig};
  }
  std::shared_ptr<Impl> impl;
  if (url->tls()) {
    if (tls == nullptr) return Err{NetError::kTlsSetup};
    impl = std::make_shared<Session<true>>(loop, tls, std::move(config), std::move(url.value()), handler);
  } else {
    impl = std::make_shared<Session<false>>(loop, nullptr, std::move(config), std::move(url.value()), handler);
  }
  std::unique_ptr<WsClient> client(new WsClient(impl));
  impl->owner_ = client.get();
  return client;
}

WsClient::WsClient(std::shared_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
WsClient::~WsClient() { impl_->shutdown(); }

void WsClient::start() noexcept { impl_->start(); }
void WsClient::stop() noexcept { impl_->stop(); }
void WsClient::force_reconnect() noexcept { impl_->force_reconnect(); }
NetError WsClient::send_text(std::string_view text) noexcept { return impl_->send_text(text); }
WsState WsClient::state() const noexcept { return impl_->state_; }
WsCounters WsClient::counters() const noexcept { return impl_->counters(); }
const WsClientConfig& WsClient::config() const noexcept { return impl_->cfg_; }
std::size_t WsClient::send_backlog() const noexcept { return impl_->count_; }

}  // namespace polybot::net
