#include "feed/parse/structural_indexer.hpp"

#include <algorithm>
#include <bit>
#include <memory>
#include <mutex>
#include <new>
#include <utility>

#if defined(__AVX2__) && defined(__PCLMUL__) && defined(__BMI__)
#define POLYBOT_FAST_STAGE1 1
#include <immintrin.h>
#else
#define POLYBOT_FAST_STAGE1 0
#endif

namespace polybot::feed::json {
namespace {

#if POLYBOT_FAST_STAGE1

// What a block leaves to the next one.
struct Carry {
  std::uint64_t in_string = 0;  // all ones while a string is open across the boundary
  std::uint64_t escaped = 0;    // bit 0: the next block's first byte follows an unescaped backslash
  std::uint64_t scalar = 0;     // bit 0: the block ended inside a non-quote scalar (number, literal)
  std::uint64_t unescaped = 0;  // control characters seen inside strings
};

[[gnu::always_inline]] inline std::uint64_t bits(__m256i lo_eq, __m256i hi_eq) noexcept {
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(lo_eq)) |
         (static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm256_movemask_epi8(hi_eq))) << 32);
}

// Bytes escaped by a backslash. Venue frames almost never hold one, so the blocks that do take a plain loop:
// each unescaped backslash escapes the next byte, which is consumed whatever it is (so "\\\\" escapes nothing).
std::uint64_t escaped_bytes(std::uint64_t backslash, std::uint64_t& carry) noexcept {
  std::uint64_t escaped = carry;
  backslash &= ~carry;
  carry = 0;
  while (backslash != 0) {
    const int i = std::countr_zero(backslash);
    if (i == 63) {
      carry = 1;
      break;
    }
    escaped |= std::uint64_t{1} << (i + 1);
    backslash &= ~(std::uint64_t{3} << i);
  }
  return escaped;
}

// Index of the lowest set bit; 64 for none. As inline assembly: with the intrinsic GCC breaks tzcnt's (on older
// cores) false dependency on its destination with an extra xor per use, one instruction in five of flatten's.
[[gnu::always_inline]] inline std::uint64_t lowest_bit(std::uint64_t s) noexcept {
  std::uint64_t r;
  asm("tzcnt %1, %0" : "=r"(r) : "r"(s) : "cc");
  return r;
}

// Writes the positions of the set bits. Eight (then sixteen) are written unconditionally, past the real count
// when there are fewer: the next block or the sentinels overwrite them; a branch per bit would mispredict once
// a block. (With std::countr_zero GCC knows what tzcnt(0) gives and turns the writes back into a branch per bit.)
[[gnu::always_inline]] inline void flatten(std::uint64_t s, std::uint32_t base, std::uint32_t*& out) noexcept {
  if (s == 0) return;
  const auto count = static_cast<std::uint32_t>(_mm_popcnt_u64(s));
  std::uint32_t* o = out;
  const auto write8 = [&](int k0) noexcept {
    for (int k = k0; k < k0 + 8; ++k) {
      o[k] = base + static_cast<std::uint32_t>(lowest_bit(s));
      s = _blsr_u64(s);
    }
  };
  write8(0);
  if (count > 8) {
    write8(8);
    if (count > 16) {
      for (int k = 16; s != 0; ++k) {
        o[k] = base + static_cast<std::uint32_t>(lowest_bit(s));
        s = _blsr_u64(s);
      }
    }
  }
  out += count;
}

// One 64-byte block. valid: the bytes that belong to the document (all but the last block: every byte); the rest
// are read (the padding is readable) but count as whitespace, as simdjson's space-filled last block does.
template <bool kLast>
[[gnu::always_inline]] inline void index_block(const std::uint8_t* p, std::uint64_t valid, std::uint32_t base,
                                               Carry& c, __m256i& high, std::uint32_t*& out) noexcept {
  const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  if constexpr (kLast) {
    const std::uint64_t top = bits(lo, hi) & valid;  // movemask takes each byte's top bit
    if (top != 0) high = _mm256_set1_epi8(static_cast<char>(0x80));
  } else {
    high = _mm256_or_si256(high, _mm256_or_si256(lo, hi));
  }
  const auto eq = [&](__m256i v) noexcept {
    return bits(_mm256_cmpeq_epi8(lo, v), _mm256_cmpeq_epi8(hi, v));
  };
  const std::uint64_t backslash = eq(_mm256_set1_epi8('\\')) & valid;
  std::uint64_t quote = eq(_mm256_set1_epi8('"')) & valid;
  if ((backslash | c.escaped) != 0) quote &= ~escaped_bytes(backslash, c.escaped);

  // Inside a string: prefix XOR of the quotes (carry-less multiply by all ones) — from an opening quote up to, not
  // including, its closing quote.
  const std::uint64_t in_string =
      static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_clmulepi64_si128(
          _mm_set_epi64x(0, static_cast<long long>(quote)), _mm_set1_epi8(static_cast<char>(0xFF)), 0))) ^
      c.in_string;
  c.in_string = static_cast<std::uint64_t>(static_cast<std::int64_t>(in_string) >> 63);

  // Control characters (< 0x20) are errors inside strings. Venue frames have none at all, so the bit mask is built
  // only for a block that has one (pretty-printed REST bodies: newlines). The signed compare also flags bytes
  // >= 0x80, but a document with one goes to the library's stage 1 before this result is looked at.
  const __m256i space = _mm256_set1_epi8(0x20);
  const __m256i ctrl_lo = _mm256_cmpgt_epi8(space, lo), ctrl_hi = _mm256_cmpgt_epi8(space, hi);
  const __m256i ctrl_any = _mm256_or_si256(ctrl_lo, ctrl_hi);
  if (!_mm256_testz_si256(ctrl_any, ctrl_any)) c.unescaped |= bits(ctrl_lo, ctrl_hi) & valid & in_string;

  // Classification by low nibble (a byte >= 0x80 shuffles to 0 and matches nothing). Whitespace: ' ' \t \n \r.
  // Operators: the byte with 0x20 set compared, so '[' ']' fold onto '{' '}' — which also folds 0x0C and 0x1A
  // onto ',' and ':', exactly as simdjson classifies them (both are invalid outside strings anyway).
  const __m256i ws_table = _mm256_setr_epi8(' ', 0, 0, 0, 0, 0, 0, 0, 0, '\t', '\n', 0, 0, '\r', 0, 0,  //
                                            ' ', 0, 0, 0, 0, 0, 0, 0, 0, '\t', '\n', 0, 0, '\r', 0, 0);
  const __m256i op_table = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ':', '{', ',', '}', 0, 0,  //
                                            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ':', '{', ',', '}', 0, 0);
  const std::uint64_t ws = bits(_mm256_cmpeq_epi8(_mm256_shuffle_epi8(ws_table, lo), lo),
                                _mm256_cmpeq_epi8(_mm256_shuffle_epi8(ws_table, hi), hi));
  const std::uint64_t op = bits(_mm256_cmpeq_epi8(_mm256_shuffle_epi8(op_table, lo), _mm256_or_si256(lo, space)),
                                _mm256_cmpeq_epi8(_mm256_shuffle_epi8(op_table, hi), _mm256_or_si256(hi, space))) &
                           valid;
  const std::uint64_t scalar = ~(ws | op) & valid;
  const std::uint64_t nonquote_scalar = scalar & ~quote;
  const std::uint64_t follows_scalar = (nonquote_scalar << 1) | c.scalar;
  c.scalar = nonquote_scalar >> 63;
  // A token starts at an operator or at the first byte of a scalar (a quote opening a string included), unless it
  // lies inside a string or is the quote closing one.
  const std::uint64_t string_tail = in_string ^ quote;
  flatten((op | (scalar & ~follows_scalar)) & ~string_tail, base, out);
}

#endif  // POLYBOT_FAST_STAGE1

// Inlined into the stage-1 override (a call costs it its own prologue and spills).
[[gnu::always_inline]] inline IndexResult index_document(const std::uint8_t* buf, std::size_t len,
                                                         std::uint32_t* out, std::uint32_t& n) noexcept {
#if POLYBOT_FAST_STAGE1
  if (len == 0) return IndexResult::kEmpty;
  Carry c;
  __m256i high = _mm256_setzero_si256();
  std::uint32_t* o = out;
  std::size_t pos = 0;
  for (; len - pos > 64; pos += 64) {
    index_block<false>(buf + pos, ~std::uint64_t{0}, static_cast<std::uint32_t>(pos), c, high, o);
  }
  const std::size_t rest = len - pos;  // 1..64
  index_block<true>(buf + pos, rest == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << rest) - 1,
                    static_cast<std::uint32_t>(pos), c, high, o);
  if (_mm256_movemask_epi8(high) != 0) return IndexResult::kNotAscii;
  if (c.in_string != 0) return IndexResult::kUnclosedString;
  if (c.unescaped != 0) return IndexResult::kUnescapedChars;
  n = static_cast<std::uint32_t>(o - out);
  out[n] = static_cast<std::uint32_t>(len);
  out[n + 1] = static_cast<std::uint32_t>(len);
  out[n + 2] = 0;
  return n == 0 ? IndexResult::kEmpty : IndexResult::kOk;
#else
  (void)buf;
  (void)len;
  (void)out;
  (void)n;
  return IndexResult::kNotAscii;
#endif
}

}  // namespace

bool fast_stage1_available() noexcept { return POLYBOT_FAST_STAGE1 != 0; }

IndexResult index_structurals(const std::uint8_t* buf, std::size_t len, std::uint32_t* out,
                              std::uint32_t& n) noexcept {
  return index_document(buf, len, out, n);
}

simdjson::error_code as_simdjson_error(IndexResult r) noexcept {
  switch (r) {
    case IndexResult::kOk: return simdjson::SUCCESS;
    case IndexResult::kEmpty: return simdjson::EMPTY;
    case IndexResult::kUnclosedString: return simdjson::UNCLOSED_STRING;
    case IndexResult::kUnescapedChars: return simdjson::UNESCAPED_CHARS;
    case IndexResult::kNotAscii: break;
  }
  return simdjson::UNEXPECTED_ERROR;
}

namespace {

using simdjson::error_code;
using simdjson::internal::dom_parser_implementation;

// Room for the index of a capacity-byte document: a token per byte at most, the unconditional writes past the
// count and simdjson's three sentinels.
std::size_t index_room(std::size_t capacity) noexcept { return capacity + 96; }

// The library's parser with stage 1 replaced for regular (non-streaming) ASCII documents. Everything else is the
// library's: DOM parsing, streaming stage 1, string unescaping. The index lives in this object's members, where
// the On-Demand reader looks; the library's own copy is synchronised when a DOM stage 2 is about to read it.
class Stage1Parser final : public dom_parser_implementation {
 public:
  explicit Stage1Parser(std::unique_ptr<dom_parser_implementation> lib) noexcept : lib_(std::move(lib)) {}

  error_code parse(const std::uint8_t* buf, std::size_t len, simdjson::dom::document& doc) noexcept override {
    return lib_->parse(buf, len, doc);
  }

  error_code stage1(const std::uint8_t* buf, std::size_t len, simdjson::stage1_mode mode) noexcept override {
    if (mode == simdjson::stage1_mode::regular && len <= _capacity) {
      std::uint32_t n = 0;
      const IndexResult r = index_document(buf, len, structural_indexes.get(), n);
      if (r == IndexResult::kOk) {
        n_structural_indexes = n;
        next_structural_index = 0;
        lib_in_sync_ = false;
        return simdjson::SUCCESS;
      }
      if (r != IndexResult::kNotAscii) {
        n_structural_indexes = 0;
        return as_simdjson_error(r);
      }
    }
    const error_code e = lib_->stage1(buf, len, mode);
    copy_index(*lib_, *this);
    lib_in_sync_ = true;
    return e;
  }

  error_code stage2(simdjson::dom::document& doc) noexcept override {
    sync_lib();
    return lib_->stage2(doc);
  }

  error_code stage2_next(simdjson::dom::document& doc) noexcept override {
    sync_lib();
    return lib_->stage2_next(doc);
  }

  std::uint8_t* parse_string(const std::uint8_t* src, std::uint8_t* dst) const noexcept override {
    return lib_->parse_string(src, dst);
  }

  error_code set_capacity(std::size_t capacity) noexcept override {
    if (const error_code e = lib_->set_capacity(capacity)) return e;
    structural_indexes.reset(new (std::nothrow) std::uint32_t[index_room(capacity)]);
    if (!structural_indexes) {
      _capacity = 0;
      return simdjson::MEMALLOC;
    }
    _capacity = capacity;
    return simdjson::SUCCESS;
  }

  error_code set_max_depth(std::size_t max_depth) noexcept override {
    if (const error_code e = lib_->set_max_depth(max_depth)) return e;
    _max_depth = max_depth;
    return simdjson::SUCCESS;
  }

 private:
  // The index with its three sentinels, bounded by the room of both (after an error the count may be stale).
  static void copy_index(const dom_parser_implementation& from, dom_parser_implementation& to) noexcept {
    std::size_t count = std::size_t{from.n_structural_indexes} + 3;
    const std::size_t room = std::min(index_room(from.capacity()), index_room(to.capacity()));
    if (count > room) count = room;
    if (from.structural_indexes && to.structural_indexes) {
      std::copy_n(from.structural_indexes.get(), count, to.structural_indexes.get());
    }
    to.n_structural_indexes = from.n_structural_indexes;
    to.next_structural_index = from.next_structural_index;
  }

  void sync_lib() noexcept {
    if (lib_in_sync_) return;
    copy_index(*this, *lib_);
    lib_in_sync_ = true;
  }

  std::unique_ptr<dom_parser_implementation> lib_;
  bool lib_in_sync_ = true;
};

class Stage1Implementation final : public simdjson::implementation {
 public:
  explicit Stage1Implementation(const simdjson::implementation* lib)
      : implementation("polybot_ascii_stage1", "simdjson with polybot's AVX2 stage 1 for ASCII documents",
                       lib->required_instruction_sets()),
        lib_(lib) {}

  error_code create_dom_parser_implementation(std::size_t capacity, std::size_t max_depth,
                                              std::unique_ptr<dom_parser_implementation>& dst) const noexcept override {
    std::unique_ptr<dom_parser_implementation> lib;
    if (const error_code e = lib_->create_dom_parser_implementation(capacity, max_depth, lib)) return e;
    std::unique_ptr<Stage1Parser> p(new (std::nothrow) Stage1Parser(std::move(lib)));
    if (!p) return simdjson::MEMALLOC;
    if (const error_code e = p->set_capacity(capacity)) return e;
    if (const error_code e = p->set_max_depth(max_depth)) return e;
    dst = std::move(p);
    return simdjson::SUCCESS;
  }

  error_code minify(const std::uint8_t* buf, std::size_t len, std::uint8_t* dst, std::size_t& dst_len) const
      noexcept override {
    return lib_->minify(buf, len, dst, dst_len);
  }

  bool validate_utf8(const char* buf, std::size_t len) const noexcept override { return lib_->validate_utf8(buf, len); }

 private:
  const simdjson::implementation* lib_;
};

const simdjson::implementation* library_implementation() noexcept {
  return simdjson::get_available_implementations().detect_best_supported();
}

}  // namespace

const simdjson::implementation* polybot_implementation() noexcept {
  if (!fast_stage1_available()) return nullptr;
  static const Stage1Implementation polybot(library_implementation());
  return &polybot;
}

simdjson::error_code allocate_parser(simdjson::ondemand::parser& parser, std::size_t capacity,
                                     Stage1 stage1) noexcept {
  static std::mutex swap_mutex;
  const std::lock_guard lock(swap_mutex);
  auto& active = simdjson::get_active_implementation();
  const simdjson::implementation* const before = active;
  const simdjson::implementation* const ours = stage1 == Stage1::kPolybot ? polybot_implementation() : nullptr;
  active = ours != nullptr ? ours : library_implementation();
  const error_code e = parser.allocate(capacity);
  active = before;
  return e;
}

}  // namespace polybot::feed::json
