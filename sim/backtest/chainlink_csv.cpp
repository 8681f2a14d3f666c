#include "sim/backtest/chainlink_csv.hpp"

#include <charconv>

#include "sim/backtest/data_file.hpp"

namespace polybot::sim::backtest {

namespace {

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == ',') {
      out.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

bool parse_i64(std::string_view s, std::int64_t& out) {
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

}  // namespace

Result<std::vector<RefReport>, ChainlinkCsvError> parse_chainlink_csv(std::string_view text) {
  std::vector<RefReport> out;
  int c_feed = -1, c_full = -1, c_server = -1, c_recv = -1;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  bool header = true;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const auto cells = split(line);
    if (header) {
      for (std::size_t i = 0; i < cells.size(); ++i) {
        const auto c = cells[i];
        if (c == "feed_ts_ms") c_feed = static_cast<int>(i);
        if (c == "full_accuracy_value") c_full = static_cast<int>(i);
        if (c == "server_ts_ms") c_server = static_cast<int>(i);
        if (c == "recv_ms") c_recv = static_cast<int>(i);
      }
      if (c_feed < 0 || c_full < 0) {
        return Err{ChainlinkCsvError{line_no, "header lacks feed_ts_ms or full_accuracy_value: \"" +
                                                  std::string(line) + "\""}};
      }
      header = false;
      continue;
    }
    auto cell = [&](int i) { return i >= 0 && static_cast<std::size_t>(i) < cells.size() ? cells[i] : std::string_view{}; };
    RefReport r;
    if (!parse_i64(cell(c_feed), r.feed_ts_ms)) {
      return Err{ChainlinkCsvError{line_no, "feed_ts_ms \"" + std::string(cell(c_feed)) + "\" is not an integer"}};
    }
    const auto v = parse_e18_integer(cell(c_full));
    if (!v) {
      return Err{ChainlinkCsvError{line_no, "full_accuracy_value \"" + std::string(cell(c_full)) +
                                                "\" is not a non-negative integer"}};
    }
    r.value = *v;
    // Missing relay/receive stamps: fall back to the report time (the best we know).
    if (!parse_i64(cell(c_server), r.server_ts_ms)) r.server_ts_ms = r.feed_ts_ms;
    if (!parse_i64(cell(c_recv), r.recv_ms)) r.recv_ms = r.server_ts_ms;
    out.push_back(r);
  }
  if (header) return Err{ChainlinkCsvError{0, "empty file (no header)"}};
  return out;
}

Result<std::vector<RefReport>, ChainlinkCsvError> read_chainlink_csv(const std::string& path) {
  auto text = read_data_file(path);
  if (!text) return Err{ChainlinkCsvError{0, text.error().message}};
  auto r = parse_chainlink_csv(*text);
  if (!r) return Err{ChainlinkCsvError{r.error().line, path + ":" + std::to_string(r.error().line) + ": " + r.error().message}};
  return r;
}

}  // namespace polybot::sim::backtest
