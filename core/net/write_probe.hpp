// The moment the last HTTP request on this thread was handed to the TLS stream for writing (monotonic ns, set by
// net::HttpClient right before the write that encrypts and sends it). For benchmarks that split "decision to
// socket" into the engine's part and the TLS + kernel part. Any thread; reads its own thread's value; no cost.
#pragma once

#include <cstdint>

namespace polybot::net {

std::int64_t last_write_handoff_ns() noexcept;

}  // namespace polybot::net
