// HttpClient: a keep-alive HTTP/1.1 client (https:// or http://) for REST calls, one persistent connection to
// one host, driven by an IoLoop that its owner polls from Agent::do_work(). Requests are serialized into
// preallocated slots and sent one at a time (no pipelining); the response (status, headers, body view) goes to
// an HttpHandler. It reconnects by itself when the server closes the connection.
// All methods and callbacks run on the IoLoop's thread. submit() does not allocate; each new connection does
// (resolver results, TLS stream), and response header parsing allocates the header fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
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

enum class HttpMethod : std::uint8_t { kGet, kPost, kPut, kDelete, kPatch, kHead };
[[nodiscard]] std::string_view to_string(HttpMethod m) noexcept;

struct HttpHeader {
  std::string_view name{};
  std::string_view value{};
};

struct HttpRequest {
  HttpMethod method = HttpMethod::kGet;
  std::string_view target = "/";          // path + query, already percent-encoded
  std::span<const HttpHeader> headers{};   // e.g. the oms's L2 auth headers; copied by submit()
  std::string_view body{};                 // sent with Content-Length (also when empty for POST/PUT/PATCH)
  std::string_view content_type = "application/json";  // used only when body is non-empty
  std::uint64_t tag = 0;                   // echoed to on_response (e.g. the client order id)
};

struct HttpResponse {
  NetError error = NetError::kOk;          // kOk: status/headers/body are valid
  int status = 0;
  std::span<const HttpHeader> headers{};     // views valid during on_response only
  std::string_view body{};                   // valid during on_response; kFramePadding readable bytes follow
  std::string_view detail{};                 // reason text when error != kOk
  std::int64_t recv_ns = 0;                // clock time when the last byte was read
  std::int64_t latency_ns = 0;             // monotonic: first byte written -> last byte read
  bool reused_connection = false;          // false for the first request on a fresh connection
  // First header with this name (case-insensitive), or empty.
  [[nodiscard]] std::string_view header(std::string_view name) const noexcept;
};

struct HttpClientConfig {
  std::string base_url{};                    // https://host[:port] (path ignored) or http://...
  std::vector<std::pair<std::string, std::string>> default_headers{};  // sent with every request
  std::string user_agent = "polybot";
  std::uint32_t connect_timeout_ms = 5'000;   // resolve + TCP + TLS
  std::uint32_t request_timeout_ms = 10'000;  // first byte written -> last byte read
  std::size_t queue_depth = 32;               // requests waiting + the one in flight
  std::size_t max_request_bytes = 64U << 10;  // serialized request line + headers + body
  std::size_t max_response_body_bytes = 4U << 20;
  std::size_t max_response_header_bytes = 16U << 10;
  // Connect at start() and reconnect (with backoff) whenever the connection drops, so a request never waits
  // for a handshake. false: connect lazily on the first submit().
  bool keep_warm = true;
  // Resend a GET/HEAD/DELETE once when the server closed a reused keep-alive connection before answering
  // (the stale-connection race). POST/PUT/PATCH are never resent: the owner decides.
  bool retry_idempotent_on_stale = true;
  BackoffConfig backoff{.base_ms = 100, .cap_ms = 5'000, .jitter = 0.2, .seed = 1, .reset_after_ms = 0};
  const Clock* clock = nullptr;               // recv_ns; nullptr = CLOCK_REALTIME
};

struct HttpCounters {
  std::uint64_t requests = 0;      // written to the wire
  std::uint64_t responses = 0;     // complete responses parsed (any status)
  std::uint64_t errors = 0;        // requests answered with error != kOk
  std::uint64_t connections = 0;   // connections established
  std::uint64_t timeouts = 0;
  std::uint64_t retries = 0;
  std::uint64_t rejected = 0;      // submit() refused (queue full / too large)
};

class HttpClient;

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // Exactly once per accepted submit(), in submission order. May call submit() again.
  virtual void on_response(HttpClient& client, std::uint64_t tag, const HttpResponse& response) noexcept = 0;
};

class HttpClient {
 public:
  [[nodiscard]] static Result<std::unique_ptr<HttpClient>, NetError> create(IoLoop& loop,
                                                                            const TlsClientContext* tls,
                                                                            HttpClientConfig config,
                                                                            HttpHandler& handler);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // With keep_warm: connect now. Otherwise a no-op (the first submit connects).
  void start() noexcept;
  // Queues a request (copied). kQueueFull / kTooLarge / kStopped: not queued, no callback.
  [[nodiscard]] NetError submit(const HttpRequest& request) noexcept;
  // Closes the connection; queued requests are answered with kStopped. start() or submit() reopens.
  void close() noexcept;

  [[nodiscard]] bool connected() const noexcept;
  [[nodiscard]] std::size_t pending() const noexcept;  // queued + in flight
  [[nodiscard]] HttpCounters counters() const noexcept;

  struct Impl;

 private:
  explicit HttpClient(std::shared_ptr<Impl> impl) noexcept;
  std::shared_ptr<Impl> impl_;
};

}  // namespace polybot::net
