// The public headers are self-contained, Boost-free, and their config structs accept partial designated
// initializers without -Wmissing-field-initializers (the build uses -Werror).
#include "core/net/backoff.hpp"
#include "core/net/http_client.hpp"
#include "core/net/io_loop.hpp"
#include "core/net/net_error.hpp"
#include "core/net/padding.hpp"
#include "core/net/server.hpp"
#include "core/net/test_pki.hpp"
#include "core/net/tls_context.hpp"
#include "core/net/url.hpp"
#include "core/net/ws_client.hpp"

#include <gtest/gtest.h>

namespace polybot::net {
namespace {

#ifdef BOOST_ASIO_VERSION
#error "a polybot::net public header pulled in Boost.Asio"
#endif

TEST(NetHeaders, ConfigsAcceptPartialDesignatedInitializers) {
  const WsClientConfig ws{.url = "wss://example.com/ws", .max_frame_bytes = 1024};
  const HttpClientConfig http{.base_url = "https://example.com", .request_timeout_ms = 500};
  const ServerConfig server{.port = 0, .tls = false};
  const ServerResponse response{.status = 201, .body = "{}"};
  const WsRoute route{.on_message = [](const WsSessionPtr&, std::string_view, bool) {}};
  const TlsClientOptions tls{.use_system_trust = false};
  const KeepaliveConfig ka{.app_ping_interval_ms = 10'000, .dead_after_ms = 30'000};
  const HttpRequest req{.method = HttpMethod::kDelete, .target = "/order"};
  EXPECT_EQ(ws.max_frame_bytes, 1024U);
  EXPECT_EQ(http.request_timeout_ms, 500U);
  EXPECT_FALSE(server.tls);
  EXPECT_EQ(response.status, 201);
  EXPECT_TRUE(static_cast<bool>(route.on_message));
  EXPECT_FALSE(route.on_open);
  EXPECT_FALSE(tls.use_system_trust);
  EXPECT_EQ(ka.app_ping_text, "PING");
  EXPECT_EQ(to_string(req.method), "DELETE");
  EXPECT_EQ(kFramePadding, 64U);
  EXPECT_EQ(to_string(NetError::kDeadConnection), "dead_connection");
  EXPECT_EQ(to_string(WsState::kBackoff), "backoff");
}

}  // namespace
}  // namespace polybot::net
