#include "core/net/url.hpp"

#include <gtest/gtest.h>

namespace polybot::net {
namespace {

TEST(Url, ParsesWssWithDefaultPortAndPath) {
  auto u = parse_url("wss://ws-subscriptions-clob.polymarket.com/ws/market");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, Scheme::kWss);
  EXPECT_EQ(u->host, "ws-subscriptions-clob.polymarket.com");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/ws/market");
  EXPECT_EQ(u->host_header(), "ws-subscriptions-clob.polymarket.com");
}

TEST(Url, ParsesExplicitPortQueryAndIpv6) {
  auto u = parse_url("ws://127.0.0.1:9443/stream?streams=btcusdt@trade");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->port, 9443);
  EXPECT_EQ(u->target, "/stream?streams=btcusdt@trade");
  EXPECT_EQ(u->host_header(), "127.0.0.1:9443");
  auto v = parse_url("https://[::1]:8443");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->host, "::1");
  EXPECT_EQ(v->target, "/");
  EXPECT_EQ(v->host_header(), "[::1]:8443");
}

TEST(Url, RejectsMalformed) {
  EXPECT_FALSE(parse_url("ftp://x"));
  EXPECT_FALSE(parse_url("wss://"));
  EXPECT_FALSE(parse_url("wss://host:0/"));
  EXPECT_FALSE(parse_url("wss://host:99999/"));
  EXPECT_FALSE(parse_url("wss://user@host/"));
  EXPECT_FALSE(parse_url("host/path"));
}

TEST(Url, RecognisesIpLiterals) {
  EXPECT_TRUE(is_ip_literal("127.0.0.1"));
  EXPECT_TRUE(is_ip_literal("::1"));
  EXPECT_FALSE(is_ip_literal("localhost"));
}

}  // namespace
}  // namespace polybot::net
