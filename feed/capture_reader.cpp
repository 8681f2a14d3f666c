#include "feed/capture_reader.hpp"

#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace polybot::feed {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// True when s holds complete JSON values only (brackets balanced outside strings).
bool balanced(std::string_view s) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : s) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') ++depth;
    else if (c == '}' || c == ']') --depth;
  }
  return depth == 0 && !in_string;
}

CaptureFrame frame_of_line(std::string_view line) {
  CaptureFrame f;
  std::size_t i = 0;
  std::int64_t ns = 0;
  while (i < line.size() && line[i] >= '0' && line[i] <= '9') ns = ns * 10 + (line[i++] - '0');
  if (i > 0 && i < line.size() && line[i] == ' ') {
    f.recv_ns = ns;
    f.json = trim(line.substr(i + 1));
  } else {
    f.json = line;
  }
  return f;
}

}  // namespace

std::vector<CaptureFrame> split_capture(std::string_view text) {
  std::vector<CaptureFrame> frames;
  const std::string_view all = trim(text);
  if (all.empty()) return frames;
  const std::size_t nl = all.find('\n');
  const std::string_view first_line = trim(all.substr(0, nl));
  if ((all.front() == '{' || all.front() == '[') && !balanced(first_line)) {
    frames.push_back(CaptureFrame{0, all});  // one pretty-printed message or array
    return frames;
  }
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = trim(text.substr(pos, end - pos));
    if (!line.empty()) frames.push_back(frame_of_line(line));
    pos = end + 1;
  }
  return frames;
}

Result<CaptureFile, std::string> read_capture(const std::string& path) {
  gzFile gz = gzopen(path.c_str(), "rb");
  if (gz == nullptr) return Err{"cannot open capture \"" + path + "\": " + std::strerror(errno)};
  CaptureFile file;
  file.path = path;
  char buf[1 << 16];
  while (true) {
    const int n = gzread(gz, buf, sizeof(buf));
    if (n < 0) {
      int zerr = 0;
      std::string msg = gzerror(gz, &zerr);
      gzclose(gz);
      return Err{"cannot read capture \"" + path + "\": " + msg};
    }
    if (n == 0) break;
    file.text.append(buf, static_cast<std::size_t>(n));
  }
  gzclose(gz);
  return file;
}

}  // namespace polybot::feed
