#include "sim/backtest/data_file.hpp"

#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <iterator>

namespace polybot::sim::backtest {

namespace {

Result<std::string, DataFileError> gunzip(const std::string& in, const std::string& path) {
  z_stream zs{};
  // 16 + MAX_WBITS: gzip wrapper; concatenated members are handled by re-initialising below.
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
    return Err{DataFileError{DataFileErrc::kCorruptGzip, path + ": inflateInit2 failed"}};
  }
  std::string out;
  out.reserve(in.size() * 4);
  char buf[1 << 16];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof(buf) - zs.avail_out);
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      inflateReset(&zs);  // another gzip member follows
      continue;
    }
    if (rc != Z_OK) {
      inflateEnd(&zs);
      return Err{DataFileError{DataFileErrc::kCorruptGzip, path + ": corrupt gzip stream (zlib " +
                                                               std::to_string(rc) + ")"}};
    }
    if (zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      return Err{DataFileError{DataFileErrc::kCorruptGzip, path + ": truncated gzip stream"}};
    }
  }
  inflateEnd(&zs);
  return out;
}

}  // namespace

bool is_gzip_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  unsigned char m[2] = {0, 0};
  f.read(reinterpret_cast<char*>(m), 2);
  return f.gcount() == 2 && m[0] == 0x1f && m[1] == 0x8b;
}

Result<std::string, DataFileError> read_data_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Err{DataFileError{DataFileErrc::kOpenFailed, path + ": cannot open"}};
  std::string raw((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) return Err{DataFileError{DataFileErrc::kReadFailed, path + ": read failed"}};
  if (raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0x1f && static_cast<unsigned char>(raw[1]) == 0x8b) {
    return gunzip(raw, path);
  }
  return raw;
}

}  // namespace polybot::sim::backtest
