// libFuzzer target: polybot's stage 1 against the library's on arbitrary bytes, with the bytes after the document
// (the padding both may read) taken from the input too. Traps on any difference in status or index. Built only
// with POLYBOT_BUILD_FUZZ=ON and clang.
#include <simdjson.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "feed/parse/structural_indexer.hpp"

namespace {

using polybot::feed::json::IndexResult;

constexpr std::size_t kCapacity = 1 << 17;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static std::unique_ptr<simdjson::internal::dom_parser_implementation> lib = [] {
    std::unique_ptr<simdjson::internal::dom_parser_implementation> p;
    if (simdjson::get_available_implementations().detect_best_supported()->create_dom_parser_implementation(
            kCapacity, 1024, p)) {
      std::abort();
    }
    return p;
  }();
  static std::vector<std::uint32_t> ours(kCapacity + 96);
  if (!polybot::feed::json::fast_stage1_available() || size > kCapacity) return 0;
  // The first byte picks how much of the input's tail is padding rather than document.
  std::size_t len = size;
  if (size > 0) {
    const std::size_t pad = std::min<std::size_t>(data[0] % 65, size - 1);
    len = size - 1 - pad;
    ++data;
  }
  std::vector<std::uint8_t> buf(data, data + len);
  buf.resize(len + simdjson::SIMDJSON_PADDING, ' ');
  std::memcpy(buf.data() + len, data + len, size == 0 ? 0 : size - 1 - len);
  std::uint32_t n = 0;
  const IndexResult r = polybot::feed::json::index_structurals(buf.data(), len, ours.data(), n);
  bool non_ascii = false;
  for (std::size_t i = 0; i < len; ++i) non_ascii |= buf[i] >= 0x80;
  if (r == IndexResult::kNotAscii) {
    if (!non_ascii) __builtin_trap();
    return 0;
  }
  if (non_ascii) __builtin_trap();
  const simdjson::error_code want = lib->stage1(buf.data(), len, simdjson::stage1_mode::regular);
  if (polybot::feed::json::as_simdjson_error(r) != want) __builtin_trap();
  if (want != simdjson::SUCCESS) return 0;
  if (n != lib->n_structural_indexes) __builtin_trap();
  for (std::uint32_t i = 0; i < n + 3; ++i) {
    if (ours[i] != lib->structural_indexes[i]) __builtin_trap();
  }
  return 0;
}
