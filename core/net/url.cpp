#include "core/net/url.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace polybot::net {

namespace {
constexpr std::uint16_t default_port(Scheme s) noexcept {
  return (s == Scheme::kWss || s == Scheme::kHttps) ? 443 : 80;
}
}  // namespace

std::string Url::host_header() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != default_port(scheme)) {
    h += ':';
    h += std::to_string(port);
  }
  return h;
}

Result<Url, NetError> parse_url(std::string_view text) {
  Url url;
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) return Err{NetError::kBadUrl};
  const auto scheme = text.substr(0, sep);
  if (scheme == "wss") {
    url.scheme = Scheme::kWss;
  } else if (scheme == "ws") {
    url.scheme = Scheme::kWs;
  } else if (scheme == "https") {
    url.scheme = Scheme::kHttps;
  } else if (scheme == "http") {
    url.scheme = Scheme::kHttp;
  } else {
    return Err{NetError::kBadUrl};
  }
  auto rest = text.substr(sep + 3);
  const auto slash = rest.find_first_of("/?");
  auto authority = rest.substr(0, slash);
  url.target = slash == std::string_view::npos ? std::string("/") : std::string(rest.substr(slash));
  if (!url.target.empty() && url.target[0] == '?') url.target.insert(0, "/");
  if (authority.empty() || authority.find('@') != std::string_view::npos ||
      url.target.find('#') != std::string::npos) {
    return Err{NetError::kBadUrl};
  }
  std::string_view host;
  std::string_view port;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return Err{NetError::kBadUrl};
    host = authority.substr(1, close - 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Err{NetError::kBadUrl};
      port = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (host.empty()) return Err{NetError::kBadUrl};
  url.host = std::string(host);
  url.port = default_port(url.scheme);
  if (!port.empty()) {
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || ptr != port.data() + port.size() || value == 0 || value > 65535) {
      return Err{NetError::kBadUrl};
    }
    url.port = static_cast<std::uint16_t>(value);
  }
  url.port_str = std::to_string(url.port);
  return url;
}

bool is_ip_literal(std::string_view host) noexcept {
  char buf[64];
  if (host.size() >= sizeof(buf)) return false;
  host.copy(buf, host.size());
  buf[host.size()] = '\0';
  unsigned char out[16];
  return inet_pton(AF_INET, buf, out) == 1 || inet_pton(AF_INET6, buf, out) == 1;
}

}  // namespace polybot::net
