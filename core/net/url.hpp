// Url: the parts of a ws://, wss://, http:// or https:// URL that a session needs. parse_url is a pure function
// (any thread); it allocates the three strings of the result, so call it at start-up, not on the hot path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/net/net_error.hpp"
#include "core/result.hpp"

namespace polybot::net {

enum class Scheme : std::uint8_t { kWs, kWss, kHttp, kHttps };

struct Url {
  Scheme scheme = Scheme::kWss;
  std::string host;    // name or IPv4 literal; IPv6 literal without brackets
  std::uint16_t port = 0;
  std::string target;  // path + query, "/" when absent
  std::string port_str;

  [[nodiscard]] bool tls() const noexcept { return scheme == Scheme::kWss || scheme == Scheme::kHttps; }
  [[nodiscard]] bool websocket() const noexcept { return scheme == Scheme::kWs || scheme == Scheme::kWss; }
  // "host" or "host:port" when the port is not the scheme's default: the value of the Host header.
  [[nodiscard]] std::string host_header() const;
};

// Accepts scheme://host[:port][/path[?query]]; fails with kBadUrl on anything else (no userinfo, no fragment).
[[nodiscard]] Result<Url, NetError> parse_url(std::string_view text);

// True when host is a numeric IPv4 or IPv6 address (certificate checks then match an IP SAN, not a DNS name).
[[nodiscard]] bool is_ip_literal(std::string_view host) noexcept;

}  // namespace polybot::net
