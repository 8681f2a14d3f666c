// Helpers shared by the parsers: a reusable padded input buffer for simdjson, key and string access without the
// unescape copy, and exact readers that turn JSON strings or number tokens into fixed-point integers without
// passing through double. Parser thread only; the buffer allocates only when a frame is larger than any before.
#pragma once

#include <simdjson.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <bit>
#include <climits>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/msg/header.hpp"

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

// Copies frame into the padded buffer and runs stage 1 over it; false when simdjson rejects it.
inline bool start_document(od::parser& parser, PaddedBuffer& input, std::string_view frame,
                           od::document& doc) noexcept {
  const char* data = input.load(frame);
  return !parser.iterate(data, frame.size(), input.capacity()).get(doc);
}

// Runs stage 1 over the frame where it lies when at least SIMDJSON_PADDING readable bytes follow it (the net
// layer guarantees net::kFramePadding), else over a padded copy. data: the bytes being parsed.
inline bool start_document(od::parser& parser, PaddedBuffer& input, std::string_view frame,
                           std::size_t readable_after, od::document& doc, const char*& data) noexcept {
  if (readable_after >= simdjson::SIMDJSON_PADDING) {
    data = frame.data();
    return !parser.iterate(data, frame.size(), frame.size() + readable_after).get(doc);
  }
  data = input.load(frame);
  return !parser.iterate(data, frame.size(), input.capacity()).get(doc);
}

// What a fast path (a flat reader for one frame shape) made of a document.
enum class FastPath : std::uint8_t {
  kDone,        // read and emitted
  kOtherShape,  // not its shape; the iterator is healthy
  kJsonError,   // simdjson gave up on the document (the iterator is abandoned and cannot be rewound)
};

// Readies doc for the general reader after a fast path that did not finish: back to the root with stage 1 kept,
// or, after a JSON error, indexed again. False when the document cannot be indexed (malformed).
inline bool resume_after_fast_path(FastPath outcome, od::parser& parser, PaddedBuffer& input, std::string_view frame,
                                   std::size_t readable_after, od::document& doc, const char*& data) noexcept {
  if (outcome == FastPath::kOtherShape) {
    doc.rewind();
    return true;
  }
  return start_document(parser, input, frame, readable_after, doc, data);
}

// First non-space byte, or 0.
inline char first_byte(std::string_view s) noexcept {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
  }
  return 0;
}

inline bool is_json_space(char c) noexcept { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ' && is_json_space(s.back())) s.remove_suffix(1);
  return s;
}

// ---- keys and strings -----------------------------------------------------------------------------------------
// The raw text of a field's key (escapes are not decoded, as with simdjson's own key comparison; no venue key
// has any). Its length comes from the structure stage 1 already found: walk back from the value over
// whitespace, the ':' and whitespace to the key's closing quote, instead of scanning the key byte by byte.
// The value's token with trailing whitespace removed: `"text"` with its quotes, a number, true/false/null, or just
// `{` / `[`. Does not consume the value (the enclosing object or array iteration steps over it).
inline std::string_view token(od::value& v) noexcept { return trim(v.raw_json_token()); }

// Also hands back the value's token, so a hot loop looks the value up once.
inline std::string_view key_text(od::field& f, std::string_view& value_token) noexcept {
  const char* const s = f.key().raw();
  value_token = token(f.value());
  const char* q = value_token.data() - 1;
  while (*q != ':') --q;
  --q;
  while (*q != '"') --q;
  return {s, static_cast<std::size_t>(q - s)};
}

inline std::string_view key_text(od::field& f) noexcept {
  std::string_view unused;
  return key_text(f, unused);
}

// Whether s has a backslash, 16 bytes at a time, inline: a libc memchr call costs more than the scan for the
// short ids and enums the venues send. s must lie inside a padded frame: 16 bytes past its end are readable.
[[gnu::always_inline]] inline bool has_backslash(std::string_view s) noexcept {
#if defined(__SSE2__)
  const __m128i slash = _mm_set1_epi8('\\');
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n >= 16; p += 16, n -= 16) {
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), slash)) != 0) {
      return true;
    }
  }
  // The last 0-15 bytes: the load may run past s (inside the padding); those bits are masked off.
  const auto m = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), slash)));
  return (m & ((1u << n) - 1u)) != 0;
#else
  return std::memchr(s.data(), '\\', s.size()) != nullptr;
#endif
}

// a == b, inline, 16 bytes at a time (token ids are 77-78 digits: a libc memcmp call costs more than the compare).
// Reads only inside both strings.
[[gnu::always_inline]] inline bool same_text(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
#if defined(__SSE2__)
  const std::size_t n = a.size();
  if (n >= 16) {
    const auto differ = [&](std::size_t i) noexcept {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a.data() + i));
      const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.data() + i));
      return _mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) != 0xFFFF;
    };
    for (std::size_t i = 0; i + 16 <= n; i += 16) {
      if (differ(i)) return false;
    }
    return !differ(n - 16);  // the last 16 bytes, overlapping the chunks already compared
  }
#endif
  return std::memcmp(a.data(), b.data(), a.size()) == 0;
}

// The text of a JSON string. Strings without escapes (every id, decimal and enum the venues send) are returned
// in place, straight from the input buffer; only a string with a backslash goes through simdjson's unescape.
inline bool string_from_token(od::value& v, std::string_view t, std::string_view& out) noexcept {
  if (t.size() < 2 || t.front() != '"' || t.back() != '"') return false;
  const std::string_view body(t.data() + 1, t.size() - 2);
  if (has_backslash(body)) return !v.get_string().get(out);
  out = body;
  return true;
}

inline bool read_string(od::value& v, std::string_view& out) noexcept { return string_from_token(v, token(v), out); }

// The body of a JSON string token as it lies in the input, escapes not decoded: for fields a message may never
// use (decode later with unescape_raw) or that are compared against known texts first.
[[gnu::always_inline]] inline bool raw_string(std::string_view t, std::string_view& out) noexcept {
  if (t.size() < 2 || t.front() != '"' || t.back() != '"') return false;
  out = std::string_view(t.data() + 1, t.size() - 2);
  return true;
}

// Decodes the raw string body `raw` (from raw_string: it lies in the padded input, its closing quote after it)
// into dst with simdjson's own unescape; dst must have raw.size() + SIMDJSON_PADDING bytes. Advances dst.
inline bool unescape_raw(const od::parser& parser, std::string_view raw, std::uint8_t*& dst,
                         std::string_view& out) noexcept {
  return !parser.unescape(od::raw_json_string(reinterpret_cast<const std::uint8_t*>(raw.data())), dst).get(out);
}

// ---- keys ----------------------------------------------------------------------------------------------------
// Whether the raw key at k (fld.key().raw(): the byte after the opening quote) is exactly lit: its bytes and then
// the closing quote, one fixed-size compare, no length needed. A quote right after the letters is the closing one
// (an escaped quote would have a backslash before it, never a letter). k lies in a padded frame, so reading
// max(8, sizeof(lit)) bytes is safe even for a shorter key.
// The M bytes at p equal the M bytes at lit, as a few word compares with constant offsets (overlapping words for
// the tail): GCC turns most memcmp sizes other than 1, 2, 4 and 8 into a libc call, which costs more than the
// compare.
template <std::size_t M>
[[gnu::always_inline]] inline bool same_bytes(const char* p, const char* lit) noexcept {
  if constexpr (M >= 8) {
    const auto word_eq = [&](std::size_t at) noexcept {
      std::uint64_t a, b;
      std::memcpy(&a, p + at, 8);
      std::memcpy(&b, lit + at, 8);
      return a == b;
    };
    for (std::size_t at = 0; at + 8 <= M; at += 8) {
      if (!word_eq(at)) return false;
    }
    return M % 8 == 0 || word_eq(M - 8);
  } else if constexpr (M >= 4) {  // two overlapping 4-byte words (GCC calls libc for a 3, 5, 6 or 7-byte memcmp)
    std::uint32_t a, b, c, d;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, lit, 4);
    std::memcpy(&c, p + M - 4, 4);
    std::memcpy(&d, lit + M - 4, 4);
    return a == b && c == d;
  } else {
    for (std::size_t i = 0; i < M; ++i) {
      if (p[i] != lit[i]) return false;
    }
    return true;
  }
}

// The letters and the closing quote are compared as whole words: up to 8 bytes, one masked 8-byte load (the bytes
// after a short key are padding or later JSON, masked off); 9-16 bytes, two overlapping loads. The literal's words
// fold to constants.
template <std::size_t N>
[[gnu::always_inline]] inline bool raw_key_is(const char* k, const char (&lit)[N]) noexcept {
  constexpr std::size_t M = N;  // the N - 1 letters and the quote
  const auto literal_word = [&](std::size_t at) noexcept {
    std::uint64_t w = 0;
    for (std::size_t i = 0; i < 8 && at + i < M; ++i) {
      const char c = at + i == N - 1 ? '"' : lit[at + i];
      w |= static_cast<std::uint64_t>(static_cast<unsigned char>(c)) << (8 * i);
    }
    return w;
  };
  const auto load = [&](std::size_t at) noexcept {
    std::uint64_t w;
    std::memcpy(&w, k + at, 8);
    return w;
  };
  if constexpr (std::endian::native == std::endian::little && M <= 8) {
    constexpr std::uint64_t mask = M == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * M)) - 1;
    return (load(0) & mask) == literal_word(0);
  } else if constexpr (std::endian::native == std::endian::little && M <= 16) {
    return load(0) == literal_word(0) && load(M - 8) == literal_word(M - 8);
  } else {
    return same_bytes<N - 1>(k, lit) && k[N - 1] == '"';
  }
}

// Key equality against a literal, as fixed-size compares the compiler inlines (no strlen, no memcmp call).
template <std::size_t N>
[[gnu::always_inline]] inline bool key_is(std::string_view k, const char (&lit)[N]) noexcept {
  return k.size() == N - 1 && same_bytes<N - 1>(k.data(), lit);
}

// ---- exact fixed point ------------------------------------------------------------------------------------------
inline constexpr std::uint64_t kPow10[19] = {1ull,
                                             10ull,
                                             100ull,
                                             1000ull,
                                             10000ull,
                                             100000ull,
                                             1000000ull,
                                             10000000ull,
                                             100000000ull,
                                             1000000000ull,
                                             10000000000ull,
                                             100000000000ull,
                                             1000000000000ull,
                                             10000000000000ull,
                                             100000000000000ull,
                                             1000000000000000ull,
                                             10000000000000000ull,
                                             100000000000000000ull,
                                             1000000000000000000ull};

// If the 8 bytes at p are all ASCII digits, their value (p[0] most significant): byte-parallel ("SWAR") instead of
// eight multiply-adds. p must have 8 readable bytes.
[[gnu::always_inline]] inline bool eight_digits(const char* p, std::uint64_t& value) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, 8);  // little-endian: p[0] in the low byte
  constexpr std::uint64_t kHigh = 0xF0F0F0F0F0F0F0F0ull;
  constexpr std::uint64_t kZeros = 0x3030303030303030ull;
  // A byte is a digit iff its high nibble is 3 both before and after adding 6 (0x3A..0x3F carry into 0x4_);
  // a byte that could carry into its neighbour (>= 0xFA) already fails the first test.
  if ((x & kHigh) != kZeros || ((x + 0x0606060606060606ull) & kHigh) != kZeros) return false;
  x -= kZeros;
  x = x * 10 + (x >> 8);  // even bytes: two-digit values
  x = (((x & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
       (((x >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >>
      32;
  value = x;
  return true;
}

// The common case of parse_fixed_impl<true> in one tight pass: unsigned, at most 18 digits in all, at most
// `decimals` of them after the dot. Each digit is one multiply-add with no per-digit scale test; the text must be
// followed by a byte that is neither a digit nor '.', with 8 readable bytes after the dot (true inside a padded
// frame). False means "not this simple case": the general reader below then decides (signs, over-long texts,
// zeros beyond the scale, errors).
[[gnu::always_inline]] inline bool plain_fixed(const char* p, std::size_t n, int decimals, std::uint64_t& out) noexcept {
  const char* const start = p;
  const char* const end = p + n;
  std::uint64_t mag = 0;
  unsigned d;
  while ((d = static_cast<unsigned char>(*p) - static_cast<unsigned>('0')) <= 9) {
    mag = mag * 10 + d;
    ++p;
  }
  const auto int_digits = static_cast<std::size_t>(p - start);
  std::size_t frac = 0;
  if (*p == '.') {
    const char* const frac_start = ++p;
    // Scales of 8+ decimals (Binance's "61837.63000000"): a full 8-digit fraction is one SWAR step instead of 8
    // dependent multiply-adds. Folds away for the 6-decimal Polymarket prices.
    std::uint64_t eight = 0;
    if (decimals >= 8 && eight_digits(p, eight)) {
      mag = mag * 100000000ull + eight;
      p += 8;
    }
    while ((d = static_cast<unsigned char>(*p) - static_cast<unsigned>('0')) <= 9) {
      mag = mag * 10 + d;
      ++p;
    }
    frac = static_cast<std::size_t>(p - frac_start);
  }
  if (p != end || int_digits + frac == 0 || frac > static_cast<std::size_t>(decimals) ||
      int_digits + static_cast<std::size_t>(decimals) > 18) {
    return false;
  }
  out = mag * kPow10[static_cast<std::size_t>(decimals) - frac];
  return true;
}

// Exactly parse_decimal (core/decimal.hpp) — same accepted texts, same values — without its per-digit overflow
// checks: a text of at most 18 integer digits + `decimals` cannot overflow, and anything longer is handed to
// parse_decimal itself. decimals must be in [0, 18]. kTerminated: the byte at text.end() is known to be neither
// a digit nor '.' (a token inside the padded input: a string's closing quote, or the structural character or
// whitespace after a number), so the digit loops need no bounds test.
template <bool kTerminated>
[[gnu::always_inline]] inline bool parse_fixed_impl(std::string_view text, int decimals, bool allow_negative,
                                                    std::int64_t& out) noexcept {
  const char* p = text.data();
  const char* const e = p + text.size();
  if constexpr (kTerminated) {
    std::uint64_t quick = 0;
    if (decimals != 0 && plain_fixed(p, text.size(), decimals, quick)) {  // ids and times: 8 digits at a time below
      out = static_cast<std::int64_t>(quick);
      return true;
    }
  }
  const auto digit_at = [e](const char* q) noexcept {
    if constexpr (kTerminated) {
      (void)e;
      return static_cast<unsigned char>(*q - '0') <= 9;
    } else {
      return q != e && static_cast<unsigned char>(*q - '0') <= 9;
    }
  };
  bool negative = false;
  if (p != e && (*p == '-' || *p == '+')) {
    negative = *p == '-';
    ++p;
  }
  if (negative && !allow_negative) return false;
  std::uint64_t mag = 0;  // may wrap for over-long texts; those are re-parsed below
  const char* const int_start = p;
  // Long integer parts are ids and times (decimals 0); prices are short, so only those try 8 digits at a time.
  if (kTerminated && decimals == 0) {  // the padded input always has 8 readable bytes here
    std::uint64_t eight = 0;
    while (eight_digits(p, eight)) {
      mag = mag * 100000000ull + eight;
      p += 8;
    }
  }
  while (digit_at(p)) {
    mag = mag * 10 + static_cast<std::uint64_t>(*p - '0');
    ++p;
  }
  const auto int_digits = static_cast<std::size_t>(p - int_start);
  int frac_used = 0;
  if (p != e && *p == '.') {
    ++p;
    const char* const frac_start = p;
    if constexpr (kTerminated) {
      std::uint64_t eight = 0;
      while (decimals - frac_used >= 8 && eight_digits(p, eight)) {
        mag = mag * 100000000ull + eight;
        frac_used += 8;
        p += 8;
      }
    }
    while (digit_at(p)) {
      if (frac_used < decimals) {
        mag = mag * 10 + static_cast<std::uint64_t>(*p - '0');
        ++frac_used;
      } else if (*p != '0') {
        return false;  // a non-zero digit beyond the scale
      }
      ++p;
    }
    if (int_digits == 0 && p == frac_start) return false;
  } else if (int_digits == 0) {
    return false;
  }
  if (p != e) return false;
  if (int_digits + static_cast<std::size_t>(decimals) > 18) [[unlikely]] {
    const auto r = parse_decimal(text, decimals, allow_negative);  // long texts: the checked parser decides
    if (!r) return false;
    out = *r;
    return true;
  }
  mag *= kPow10[decimals - frac_used];
  out = negative ? -static_cast<std::int64_t>(mag) : static_cast<std::int64_t>(mag);
  return true;
}

inline bool parse_fixed(std::string_view text, int decimals, bool allow_negative, std::int64_t& out) noexcept {
  return parse_fixed_impl<false>(text, decimals, allow_negative, out);
}

// The text of a JSON string, or of a number token; false for anything else. No unescape copy for strings without
// escapes.
inline bool scalar_from_token(od::value& v, std::string_view t, std::string_view& out) noexcept {
  if (t.empty()) return false;
  if (t.front() == '"') return string_from_token(v, t, out);
  if (t.front() == '-' || (t.front() >= '0' && t.front() <= '9')) {
    out = t;
    return true;
  }
  return false;
}

inline bool scalar_text(od::value& v, std::string_view& out) noexcept { return scalar_from_token(v, token(v), out); }

// A decimal (string "0.51" or number 0.51) whose token t (from token() or key_text()) is already at hand: its
// text (the string's body, unescaped only if it has escapes, or the number) and its value in 10^-decimals units.
[[gnu::always_inline]] inline bool fixed_from_token(od::value& v, std::string_view t, int decimals,
                                                  bool allow_negative, std::string_view& text,
                                                  std::int64_t& out) noexcept {
  if (t.size() >= 2 && t.front() == '"' && t.back() == '"') {
    text = std::string_view(t.data() + 1, t.size() - 2);
    if (parse_fixed_impl<true>(text, decimals, allow_negative, out)) return true;
    // Only an escaped string ("0.\u0035") can still be a decimal: unescape it and try once more.
    if (!has_backslash(text) || v.get_string().get(text)) return false;
    return parse_fixed(text, decimals, allow_negative, out);
  }
  if (!t.empty() && (t.front() == '-' || (t.front() >= '0' && t.front() <= '9'))) {
    text = t;
    return parse_fixed_impl<true>(t, decimals, allow_negative, out);
  }
  return false;
}

// The common case of fixed_from_token without the od::value: a string without escapes or a number token. False
// means "not this case or not a decimal": the caller then tries the escaped form (a cold path), so the hot loop
// never hands the value to simdjson's unescape (that alone keeps the iterator out of registers).
[[gnu::always_inline]] inline bool plain_fixed_token(std::string_view t, int decimals, bool allow_negative,
                                                     std::string_view& text, std::int64_t& out) noexcept {
  if (t.size() >= 2 && t.front() == '"' && t.back() == '"') {
    text = std::string_view(t.data() + 1, t.size() - 2);
    return parse_fixed_impl<true>(text, decimals, allow_negative, out);
  }
  if (!t.empty() && (t.front() == '-' || (t.front() >= '0' && t.front() <= '9'))) {
    text = t;
    return parse_fixed_impl<true>(t, decimals, allow_negative, out);
  }
  return false;
}

[[gnu::always_inline]] inline bool fixed_from_token(od::value& v, std::string_view t, int decimals,
                                                  bool allow_negative, std::int64_t& out) noexcept {
  std::string_view text;
  return fixed_from_token(v, t, decimals, allow_negative, text, out);
}

// A decimal (string "0.51" or number 0.51) as an integer count of 10^-decimals units.
inline bool read_fixed(od::value& v, int decimals, bool allow_negative, std::int64_t& out) noexcept {
  return fixed_from_token(v, token(v), decimals, allow_negative, out);
}

// An integer given as a JSON number or a decimal string ("1729084877448").
inline bool int_from_token(od::value& v, std::string_view t, std::int64_t& out) noexcept {
  return fixed_from_token(v, t, 0, true, out);
}
inline bool read_int(od::value& v, std::int64_t& out) noexcept { return int_from_token(v, token(v), out); }

inline bool uint_from_token(od::value& v, std::string_view t, std::uint64_t& out) noexcept {
  std::int64_t i = 0;
  if (!fixed_from_token(v, t, 0, false, i)) return false;
  out = static_cast<std::uint64_t>(i);
  return true;
}
inline bool read_uint(od::value& v, std::uint64_t& out) noexcept { return uint_from_token(v, token(v), out); }

inline constexpr std::int64_t kNsPerMs = 1'000'000;

// Venue milliseconds -> nanoseconds, saturating instead of overflowing for absurd values (a fuzzed or corrupt
// frame; real times are ~1.7e12 ms, far below the ~9.2e12 ms limit).
inline std::int64_t ms_to_ns(std::int64_t ms) noexcept {
  std::int64_t ns = 0;
  if (__builtin_mul_overflow(ms, kNsPerMs, &ns)) return ms < 0 ? INT64_MIN : INT64_MAX;
  return ns;
}

// msg_header's fields written into an existing (zeroed, reused) header one by one. On the hot path a header built
// apart and then copied costs a store-forwarding stall per 16 bytes (the copy reads back the fresh narrow stores).
[[gnu::always_inline]] inline void set_header(MsgHeader& h, MsgType type, InstrumentId id, std::int64_t ts_ms,
                                              std::int64_t recv_ns) noexcept {
  h.type = type;
  h.producer = Stage::kFeed;
  h.instrument = id;
  h.ts_exch = ms_to_ns(ts_ms);
  h.ts_recv = recv_ns;
  h.ts_origin = recv_ns;
}

// The header of a message the feed produces from a venue event at ts_ms (venue clock) received at recv_ns.
inline MsgHeader msg_header(MsgType type, InstrumentId id, std::int64_t ts_ms, std::int64_t recv_ns) noexcept {
  MsgHeader h;
  set_header(h, type, id, ts_ms, recv_ns);
  return h;
}

}  // namespace polybot::feed::detail
