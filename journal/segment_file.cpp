#include "journal/segment_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace polybot::journal {
namespace {

JournalError io_error(const char* what, const std::string& path) {
  return JournalError{JournalErrc::kIo, std::string(what) + " " + path + ": " + std::strerror(errno)};
}

int stream_rank(const std::string& s) {
  static constexpr const char* kOrder[] = {"feed", "signal", "risk", "oms"};
  for (int i = 0; i < 4; ++i) {
    if (s == kOrder[i]) return i;
  }
  return 4;
}

}  // namespace

MappedSegment::~MappedSegment() {
  if (base_ != nullptr) ::munmap(base_, mapped_);
  if (fd_ >= 0) ::close(fd_);
}

Result<SegmentPtr, JournalError> prepare_segment(const std::string& dir, std::string_view stream,
                                                 std::uint64_t index, std::size_t size) {
  const std::string path = dir + "/" + segment_file_name(stream, index);
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Err{io_error("open", tmp)};
  int rc = ::posix_fallocate(fd, 0, static_cast<off_t>(size));
  if (rc == EOPNOTSUPP || rc == EINVAL) rc = ::ftruncate(fd, static_cast<off_t>(size)) == 0 ? 0 : errno;
  if (rc != 0) {
    errno = rc;
    auto e = io_error("fallocate", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return Err{e};
  }
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
  if (p == MAP_FAILED) {
    auto e = io_error("mmap", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return Err{e};
  }
  auto* base = static_cast<std::byte*>(p);
  // A shared mapping is populated read-only; the first store to each page would still fault (page_mkwrite).
  // Take those faults here, on the helper, instead of on the writer.
  const long page = ::sysconf(_SC_PAGESIZE);
  for (std::size_t off = 0; off < size; off += static_cast<std::size_t>(page)) {
    std::atomic_ref<std::uint8_t>(*reinterpret_cast<std::uint8_t*>(base + off)).store(0, std::memory_order_relaxed);
  }
  auto* h = reinterpret_cast<SegmentHeader*>(base);
  std::memcpy(h->magic, kSegmentMagic, sizeof h->magic);
  h->version = kFormatVersion;
  h->segment_size = size;
  h->index = index;
  std::memset(h->stream, 0, sizeof h->stream);
  std::memcpy(h->stream, stream.data(), std::min(stream.size(), kMaxStreamName));
  h->state = static_cast<std::uint32_t>(SegmentState::kPrepared);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    auto e = io_error("rename", tmp);
    ::munmap(p, size);
    ::close(fd);
    ::unlink(tmp.c_str());
    return Err{e};
  }
  return std::make_unique<MappedSegment>(fd, base, size, path, index, true);
}

Result<SegmentPtr, JournalError> open_segment(const std::string& path, std::uint64_t index, bool writable) {
  const int fd = ::open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return Err{io_error("open", path)};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    auto e = io_error("fstat", path);
    ::close(fd);
    return Err{e};
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size < kSegmentHeaderSize) {
    ::close(fd);
    return Err{JournalError{JournalErrc::kBadHeader,
                            path + ": file is " + std::to_string(size) + " bytes, shorter than a segment header"}};
  }
  void* p = ::mmap(nullptr, size, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) {
    auto e = io_error("mmap", path);
    ::close(fd);
    return Err{e};
  }
  return std::make_unique<MappedSegment>(fd, static_cast<std::byte*>(p), size, path, index, writable);
}

std::vector<SegmentEntry> list_segments(const std::string& dir, std::string_view stream) {
  std::vector<SegmentEntry> out;
  std::error_code ec;
  const std::string prefix = std::string(stream) + ".";
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() != prefix.size() + 10 || name.compare(0, prefix.size(), prefix) != 0) continue;
    if (name.compare(name.size() - 4, 4, ".seg") != 0) continue;
    const std::string digits = name.substr(prefix.size(), 6);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    out.push_back({std::stoull(digits), e.path().string()});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  return out;
}

std::vector<std::string> list_streams(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() < 12 || name.compare(name.size() - 4, 4, ".seg") != 0) continue;
    const std::string stream = name.substr(0, name.size() - 11);
    if (!valid_stream_name(stream) || name[stream.size()] != '.') continue;
    if (std::find(out.begin(), out.end(), stream) == out.end()) out.push_back(stream);
  }
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    const int ra = stream_rank(a), rb = stream_rank(b);
    return ra != rb ? ra < rb : a < b;
  });
  return out;
}

std::string check_segment_header(const SegmentHeader& h, std::string_view stream, std::uint64_t index,
                                 std::size_t file_size) {
  if (std::memcmp(h.magic, kSegmentMagic, sizeof h.magic) != 0) return "bad magic";
  if (h.version != kFormatVersion) return "unsupported version " + std::to_string(h.version);
  if (segment_header_checksum(h) != h.checksum) return "header checksum mismatch";
  if (h.state != static_cast<std::uint32_t>(SegmentState::kActive)) return "bad state " + std::to_string(h.state);
  if (std::string_view(h.stream, strnlen(h.stream, sizeof h.stream)) != stream) {
    return "header names stream '" + std::string(h.stream, strnlen(h.stream, sizeof h.stream)) + "'";
  }
  if (h.index != index) return "header index " + std::to_string(h.index) + " != file index " + std::to_string(index);
  if (file_size > h.segment_size) return "file larger than its segment_size";
  if (h.first_seq == 0) return "first_seq is 0";
  return "";
}

}  // namespace polybot::journal
