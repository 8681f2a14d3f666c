// NetError: the one error enum of polybot::net, returned at boundaries (Result<T, NetError>) and reported in
// disconnect / response callbacks. Pure data; any thread; never allocates.
#pragma once

#include <cstdint>
#include <string_view>

namespace polybot::net {

enum class NetError : std::uint8_t {
  kOk = 0,
  kBadUrl,            // URL not ws://, wss://, http:// or https://, or host/port malformed
  kBadConfig,         // a config field out of range (the message names it)
  kTlsSetup,          // CA file/PEM, certificate or key could not be loaded
  kResolve,           // DNS resolution failed
  kConnect,           // TCP connect failed or refused
  kTlsHandshake,      // TLS handshake failed (includes certificate verification failure)
  kCertificate,       // peer certificate rejected: untrusted CA, wrong host name, expired
  kWsHandshake,       // HTTP upgrade refused or malformed
  kTimeout,           // connect, handshake or request deadline passed
  kDeadConnection,    // keep-alive: nothing received within the dead-after window
  kClosedByPeer,      // orderly close (WebSocket close frame, HTTP Connection: close, TLS close_notify, EOF)
  kReset,             // connection reset / broken pipe / truncated stream
  kProtocol,          // malformed frame or HTTP message
  kFrameTooLarge,     // inbound message larger than the receive buffer
  kQueueFull,         // send/request queue full: the frame or request was NOT queued
  kTooLarge,          // outbound frame or request larger than its preallocated slot
  kNotOpen,           // send while the session is not open
  kStopped,           // the owner stopped the session / client / server
  kIo,                // any other socket error
  kBind,              // server could not bind / listen
};

[[nodiscard]] constexpr std::string_view to_string(NetError e) noexcept {
  switch (e) {
    case NetError::kOk: return "ok";
    case NetError::kBadUrl: return "bad_url";
    case NetError::kBadConfig: return "bad_config";
    case NetError::kTlsSetup: return "tls_setup";
    case NetError::kResolve: return "resolve";
    case NetError::kConnect: return "connect";
    case NetError::kTlsHandshake: return "tls_handshake";
    case NetError::kCertificate: return "certificate";
    case NetError::kWsHandshake: return "ws_handshake";
    case NetError::kTimeout: return "timeout";
    case NetError::kDeadConnection: return "dead_connection";
    case NetError::kClosedByPeer: return "closed_by_peer";
    case NetError::kReset: return "reset";
    case NetError::kProtocol: return "protocol";
    case NetError::kFrameTooLarge: return "frame_too_large";
    case NetError::kQueueFull: return "queue_full";
    case NetError::kTooLarge: return "too_large";
    case NetError::kNotOpen: return "not_open";
    case NetError::kStopped: return "stopped";
    case NetError::kIo: return "io";
    case NetError::kBind: return "bind";
  }
  return "unknown";
}

}  // namespace polybot::net
