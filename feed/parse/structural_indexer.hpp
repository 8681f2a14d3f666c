// simdjson's stage 1 (the structural index On-Demand walks) re-done for the frames the venues send: short, pure
// ASCII, one document. The library's general stage 1 pays for UTF-8 validation, a copy of the last partial block
// and streaming modes on every call; for a 370-byte price_change that is 127 ns of a ~310 ns parse. This indexer
// produces the same index (same positions, same sentinels, same error codes: checked against the library's own
// stage 1 by structural_indexer_test and the structural_index fuzz target) and hands anything else — a byte
// >= 0x80, a streaming call — to the library's stage 1 unchanged.
//
// It plugs in through simdjson's own extension point: an On-Demand parser takes its stage-1 implementation from
// simdjson::get_active_implementation() when it allocates, so allocate_parser() allocates with ours. The On-Demand
// reader (stage 2, every value accessor) is simdjson's, untouched.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>

namespace polybot::feed::json {

// Whether this build has the AVX2 indexer (built for x86-64-v3 or native with AVX2, PCLMUL and BMI).
[[nodiscard]] bool fast_stage1_available() noexcept;

enum class IndexResult : std::uint8_t {
  kOk,
  kNotAscii,        // a byte >= 0x80: the caller runs the library's stage 1 (which validates UTF-8)
  kEmpty,           // no token at all (simdjson::EMPTY)
  kUnclosedString,  // simdjson::UNCLOSED_STRING
  kUnescapedChars,  // a control character inside a string (simdjson::UNESCAPED_CHARS)
};

// The simdjson error code stage 1 reports for r (SUCCESS for kOk; kNotAscii, which simdjson never reports, maps to
// UNEXPECTED_ERROR).
[[nodiscard]] simdjson::error_code as_simdjson_error(IndexResult r) noexcept;

// Indexes buf[0, len). buf must be readable to len + simdjson::SIMDJSON_PADDING (what is there is ignored).
// out: room for len + 72 entries. On kOk, n is the token count and out[n], out[n+1] hold len and out[n+2] 0,
// as simdjson leaves them. Without the AVX2 indexer in the build, always kNotAscii.
IndexResult index_structurals(const std::uint8_t* buf, std::size_t len, std::uint32_t* out,
                              std::uint32_t& n) noexcept;

// The implementation allocate_parser installs (simdjson's, with this stage 1), or nullptr without the indexer.
[[nodiscard]] const simdjson::implementation* polybot_implementation() noexcept;

// Which stage 1 an On-Demand parser gets.
enum class Stage1 : std::uint8_t { kPolybot, kLibrary };

// parser.allocate(capacity) with the chosen stage 1 (kPolybot falls back to the library's where the indexer is not
// built). Cold path: takes a mutex around the swap of simdjson's active implementation. A thread that looks the
// active implementation up meanwhile gets a fully working one either way (ours delegates everything but regular
// ASCII stage 1 to the library's).
simdjson::error_code allocate_parser(simdjson::ondemand::parser& parser, std::size_t capacity,
                                     Stage1 stage1 = Stage1::kPolybot) noexcept;

}  // namespace polybot::feed::json
