// Helpers shared by the journal tests: deterministic payloads and file surgery that simulates crashes and
// corruption on real segment files. Test-only; any thread.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "journal/format.hpp"

namespace polybot::journal::testing {

// Payload of record `seq`: its size and every byte derive from seq, so a reader can check it independently.
inline std::uint32_t payload_size(std::uint64_t seq) { return (seq % 3 == 0) ? 64 : static_cast<std::uint32_t>(1 + (seq * 37) % 700); }
inline void fill_payload(std::uint64_t seq, std::vector<unsigned char>& buf) {
  buf.resize(payload_size(seq));
  std::uint64_t x = seq * 0x9E3779B97F4A7C15ull + 1;
  for (auto& b : buf) {
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ull;
    b = static_cast<unsigned char>(x >> 56);
  }
}
inline bool payload_matches(std::uint64_t seq, const std::byte* p, std::uint32_t n) {
  if (n != payload_size(seq)) return false;
  std::uint64_t x = seq * 0x9E3779B97F4A7C15ull + 1;
  for (std::uint32_t i = 0; i < n; ++i) {
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ull;
    if (static_cast<unsigned char>(p[i]) != static_cast<unsigned char>(x >> 56)) return false;
  }
  return true;
}

inline std::vector<unsigned char> read_file(const std::string& path) {
  std::vector<unsigned char> out(std::filesystem::file_size(path));
  const int fd = ::open(path.c_str(), O_RDONLY);
  std::size_t got = 0;
  while (got < out.size()) {
    const auto n = ::read(fd, out.data() + got, out.size() - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return out;
}
inline void write_file(const std::string& path, const std::vector<unsigned char>& data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
  std::size_t put = 0;
  while (put < data.size()) {
    const auto n = ::write(fd, data.data() + put, data.size() - put);
    if (n <= 0) break;
    put += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

// Turns a cleanly closed last segment back into what a crash leaves: no end padding, file at full size.
inline void unclose_segment(const std::string& path) {
  auto data = read_file(path);
  const auto* h = reinterpret_cast<const SegmentHeader*>(data.data());
  const std::size_t full = h->segment_size;
  data.resize(data.size() - kRecordHeaderSize);
  data.resize(full, 0);
  write_file(path, data);
}

// Offsets of every record (padding included) in a segment file image.
inline std::vector<std::size_t> record_offsets(const std::vector<unsigned char>& data) {
  std::vector<std::size_t> out;
  std::size_t pos = kSegmentHeaderSize;
  while (pos + kRecordHeaderSize <= data.size()) {
    std::uint32_t len;
    std::memcpy(&len, data.data() + pos, 4);
    if (len == 0) break;
    out.push_back(pos);
    pos += align_record(len);
  }
  return out;
}

}  // namespace polybot::journal::testing
