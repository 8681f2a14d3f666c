// Durability modes of a journal stream (docs/JOURNAL.md has the measured cost of each). Any thread.
//   none  : records live in the page cache; a process crash loses nothing, a machine crash may.
//   async : the helper starts write-back of completed ranges in the background (msync MS_ASYNC plus
//           sync_file_range, since MS_ASYNC alone is a no-op on Linux); no durability promise, less to lose.
//   sync  : the helper calls fdatasync every `sync_every_ms` or every `sync_every_records`, whichever comes
//           first, and publishes the durable watermark (StreamWriter::durable_seq()).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace polybot::journal {

enum class Durability : std::uint8_t { kNone, kAsync, kSync };

struct DurabilityOptions {
  Durability mode = Durability::kNone;
  std::uint32_t sync_every_ms = 10;
  std::uint64_t sync_every_records = 0;  // 0: time only
};

const char* to_string(Durability d) noexcept;
std::optional<Durability> parse_durability(std::string_view s) noexcept;

}  // namespace polybot::journal
