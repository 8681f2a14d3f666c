// Capture files for replay tools and tests: whole-file reads (gzip or plain, zlib detects which) split into
// frames. Recognised layouts: one JSON frame per line; hftbacktest's `<receive ns> <json>` lines; or a file that
// is one (possibly pretty-printed) JSON message or array. Off the hot path: allocates freely. Any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace polybot::feed {

struct CaptureFrame {
  std::int64_t recv_ns = 0;  // from the line prefix when present, else 0
  std::string_view json;     // view into the owning CaptureFile's text
};

struct CaptureFile {
  std::string path;
  std::string text;  // split it with split_capture() once the file has reached its final home
};

// Reads path whole. The error is a message naming the file and the reason.
Result<CaptureFile, std::string> read_capture(const std::string& path);

// Splits text (already in memory) the same way; views point into text.
std::vector<CaptureFrame> split_capture(std::string_view text);

}  // namespace polybot::feed
