// Whole-file reading for the backtest's recorded inputs: plain or gzip (detected by the magic bytes, not the
// name). Off the hot path: allocates the whole content; any thread.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace polybot::sim::backtest {

enum class DataFileErrc : std::uint8_t { kOpenFailed, kReadFailed, kCorruptGzip };

struct DataFileError {
  DataFileErrc code;
  std::string message;  // names the file and what failed
};

// The file's bytes, gunzipped when the content starts with the gzip magic (1f 8b).
Result<std::string, DataFileError> read_data_file(const std::string& path);

// True when the first bytes of the file are the gzip magic.
bool is_gzip_file(const std::string& path);

}  // namespace polybot::sim::backtest
