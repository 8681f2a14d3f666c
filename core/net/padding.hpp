// kFramePadding: readable bytes that polybot::net guarantees after every received frame or response body it
// hands out, so simdjson (SIMDJSON_PADDING = 64) can parse in place without copying. Compile-time constant.
#pragma once

#include <cstddef>

namespace polybot::net {

inline constexpr std::size_t kFramePadding = 64;

}  // namespace polybot::net
