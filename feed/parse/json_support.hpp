// Helpers shared by the parsers: a reusable padded input buffer for simdjson, and exact readers that turn JSON
// strings or number tokens into fixed-point integers without passing through double. Parser thread only; the
// buffer allocates only when a frame is larger than anything seen before.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"

namespace polybot::feed::detail {

namespace od = simdjson::ondemand;

class PaddedBuffer {
 public:
  explicit PaddedBuffer(std::size_t capacity) : buf_(capacity + simdjson::SIMDJSON_PADDING) {}
  // Copies frame in; returns the padded copy's start. Grows (allocates) only for a frame larger than ever before.
  const char* load(std::string_view frame) {
    if (frame.size() + simdjson::SIMDJSON_PADDING > buf_.size()) buf_.resize(frame.size() + simdjson::SIMDJSON_PADDING);
    std::memcpy(buf_.data(), frame.data(), frame.size());
    std::memset(buf_.data() + frame.size(), 0, simdjson::SIMDJSON_PADDING);
    return buf_.data();
  }
  [[nodiscard]] std::size_t capacity() const noexcept { return buf_.size(); }

 private:
  std::vector<char> buf_;
};

// First non-space byte, or 0.
inline char first_byte(std::string_view s) noexcept {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
  }
  return 0;
}

inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// The text of a JSON string, or of a number token; false for anything else.
inline bool scalar_text(od::value& v, std::string_view& out) noexcept {
  od::json_type t;
  if (v.type().get(t)) return false;
  if (t == od::json_type::string) return !v.get_string().get(out);
  if (t == od::json_type::number) {
    out = trim(v.raw_json_token());
    return true;
  }
  return false;
}

// A decimal (string "0.51" or number 0.51) as an integer count of 10^-decimals.
inline bool read_fixed(od::value& v, int decimals, bool allow_negative, std::int64_t& out) noexcept {
  std::string_view s;
  if (!scalar_text(v, s)) return false;
  auto r = parse_decimal(s, decimals, allow_negative);
  if (!r) return false;
  out = *r;
  return true;
}

// An integer given as a JSON number or a decimal string ("1729084877448").
inline bool read_int(od::value& v, std::int64_t& out) noexcept {
  std::string_view s;
  if (!scalar_text(v, s)) return false;
  auto r = parse_decimal(s, 0, true);
  if (!r) return false;
  out = *r;
  return true;
}

inline bool read_uint(od::value& v, std::uint64_t& out) noexcept {
  std::int64_t i = 0;
  if (!read_int(v, i) || i < 0) return false;
  out = static_cast<std::uint64_t>(i);
  return true;
}

inline bool read_string(od::value& v, std::string_view& out) noexcept { return !v.get_string().get(out); }

inline constexpr std::int64_t kNsPerMs = 1'000'000;

}  // namespace polybot::feed::detail
