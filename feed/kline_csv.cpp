#include "feed/kline_csv.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>

namespace polybot::feed {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '"' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

void split(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == ',') {
      out.push_back(trim(line.substr(start, i - start)));
      start = i + 1;
    }
  }
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Normalise separators so "Open time", "open_time" and "openTime" compare equal.
  r.erase(std::remove_if(r.begin(), r.end(), [](char c) { return c == '_' || c == ' ' || c == '-'; }), r.end());
  return r;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool read_int(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const char c = s[pos + k];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  pos += n;
  return true;
}

enum Col : std::size_t { kOpenTime, kOpen, kHigh, kLow, kClose, kVolume, kCloseTime, kTrades, kTakerBuy, kNumCols };

struct Layout {
  std::array<std::optional<std::size_t>, kNumCols> idx{};
};

std::optional<Col> column_of(const std::string& name) {
  if (name == "opentime" || name == "timestamp" || name == "time" || name == "date" || name == "datetime" ||
      name == "open_time" || name == "t") {
    return kOpenTime;
  }
  if (name == "open" || name == "o") return kOpen;
  if (name == "high" || name == "h") return kHigh;
  if (name == "low" || name == "l") return kLow;
  if (name == "close" || name == "c") return kClose;
  if (name == "volume" || name == "v" || name == "basevolume") return kVolume;
  if (name == "closetime") return kCloseTime;
  if (name == "numberoftrades" || name == "trades" || name == "count") return kTrades;
  if (name == "takerbuybaseassetvolume" || name == "tbbaseav" || name == "takerbuybasevolume") return kTakerBuy;
  return std::nullopt;
}

}  // namespace

Result<std::int64_t, std::string> parse_time_ms(std::string_view cell) {
  cell = trim(cell);
  if (cell.empty()) return Err{std::string("empty time")};
  // Numeric epoch, possibly with a fractional part (".0" written by some tools).
  std::string_view intpart = cell;
  if (const auto dot = cell.find('.'); dot != std::string_view::npos && all_digits(cell.substr(dot + 1))) {
    intpart = cell.substr(0, dot);
  }
  if (all_digits(intpart)) {
    std::int64_t v = 0;
    const auto [p, ec] = std::from_chars(intpart.data(), intpart.data() + intpart.size(), v);
    if (ec != std::errc{} || p != intpart.data() + intpart.size()) return Err{std::string("epoch out of range")};
    if (v < 100'000'000'000LL) return v * 1000;            // seconds (until year 5138)
    if (v < 100'000'000'000'000LL) return v;               // milliseconds
    if (v < 100'000'000'000'000'000LL) return v / 1000;    // microseconds
    return v / 1'000'000;                                  // nanoseconds
  }
  // YYYY-MM-DD[ T]HH:MM[:SS[.fff]][Z|±HH[:MM]]
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  const auto bad = [&cell] { return Err{"unrecognised time \"" + std::string(cell.substr(0, 40)) + "\""}; };
  if (!read_int(cell, pos, 4, y) || pos >= cell.size() || cell[pos++] != '-' || !read_int(cell, pos, 2, mo) ||
      pos >= cell.size() || cell[pos++] != '-' || !read_int(cell, pos, 2, d)) {
    return bad();
  }
  std::int64_t frac_ms = 0;
  if (pos < cell.size() && (cell[pos] == ' ' || cell[pos] == 'T')) {
    ++pos;
    if (!read_int(cell, pos, 2, h) || pos >= cell.size() || cell[pos++] != ':' || !read_int(cell, pos, 2, mi)) {
      return bad();
    }
    if (pos < cell.size() && cell[pos] == ':') {
      ++pos;
      if (!read_int(cell, pos, 2, s)) return bad();
      if (pos < cell.size() && cell[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < cell.size() && cell[pos] >= '0' && cell[pos] <= '9') {
          if (digits < 3) frac_ms = frac_ms * 10 + (cell[pos] - '0');
          ++digits;
          ++pos;
        }
        for (; digits < 3; ++digits) frac_ms *= 10;
      }
    }
  }
  std::int64_t offset_s = 0;
  if (pos < cell.size()) {
    if (cell[pos] == 'Z' && pos + 1 == cell.size()) {
      ++pos;
    } else if (cell[pos] == '+' || cell[pos] == '-') {
      const int sign = cell[pos] == '-' ? -1 : 1;
      ++pos;
      int oh = 0, om = 0;
      if (!read_int(cell, pos, 2, oh)) return bad();
      if (pos < cell.size() && cell[pos] == ':') ++pos;
      if (pos < cell.size() && !read_int(cell, pos, 2, om)) return bad();
      offset_s = sign * (oh * 3600 + om * 60);
    } else {
      return bad();
    }
  }
  if (pos != cell.size() || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return bad();
  const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const std::int64_t secs = days * 86400 + h * 3600 + mi * 60 + s - offset_s;
  return secs * 1000 + frac_ms;
}

Result<std::vector<KlineRow>, KlineCsvError> parse_kline_csv(std::string_view text) {
  std::vector<KlineRow> rows;
  std::vector<std::string_view> cells;
  Layout layout;
  bool have_layout = false;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) continue;
    split(line, cells);
    if (!have_layout) {
      have_layout = true;
      if (!parse_time_ms(cells[0])) {
        // A header: find the columns by name.
        int time_rank = 99;  // "open_time" beats "timestamp" beats "time"/"date" (some files carry several)
        for (std::size_t i = 0; i < cells.size(); ++i) {
          const std::string name = lower(cells[i]);
          const auto col = column_of(name);
          if (!col) continue;
          if (*col == kOpenTime) {
            const int rank = name == "opentime" ? 0 : name == "timestamp" ? 1 : 2;
            if (rank < time_rank) {
              time_rank = rank;
              layout.idx[kOpenTime] = i;
            }
          } else if (!layout.idx[*col]) {
            layout.idx[*col] = i;
          }
        }
        for (Col c : {kOpenTime, kOpen, kHigh, kLow, kClose}) {
          if (!layout.idx[c]) {
            static constexpr const char* kNames[] = {"open_time/timestamp", "open", "high", "low", "close"};
            return Err{KlineCsvError{line_no, std::string("header has no ") + kNames[c] + " column"}};
          }
        }
        continue;
      }
      // No header: the /api/v3/klines positional layout, or OHLCV when there are only 5-6 columns.
      for (std::size_t c = 0; c <= kVolume; ++c) layout.idx[c] = c;
      if (cells.size() >= 11) {
        layout.idx[kCloseTime] = 6;
        layout.idx[kTrades] = 8;
        layout.idx[kTakerBuy] = 9;
      }
    }
    const auto cell = [&](Col c) -> std::optional<std::string_view> {
      if (!layout.idx[c] || *layout.idx[c] >= cells.size()) return std::nullopt;
      return cells[*layout.idx[c]];
    };
    const auto fail = [&](const char* col, std::string_view value, const std::string& why) {
      return Err{KlineCsvError{line_no, std::string("column ") + col + " value \"" +
                                            std::string(value.substr(0, 40)) + "\": " + why}};
    };
    KlineRow row;
    const auto t = cell(kOpenTime);
    if (!t) return fail("open_time", "", "missing");
    auto tm = parse_time_ms(*t);
    if (!tm) return fail("open_time", *t, tm.error());
    row.open_time_ms = *tm;
    struct PriceCol {
      Col col;
      const char* name;
      UsdPrice* dst;
    };
    for (const PriceCol& pc : {PriceCol{kOpen, "open", &row.open}, PriceCol{kHigh, "high", &row.high},
                               PriceCol{kLow, "low", &row.low}, PriceCol{kClose, "close", &row.close}}) {
      const auto v = cell(pc.col);
      if (!v) return fail(pc.name, "", "missing");
      auto p = UsdPrice::parse(*v);
      if (!p) return fail(pc.name, *v, to_string(p.error().code));
      *pc.dst = *p;
    }
    if (const auto v = cell(kVolume)) {
      auto q = BtcQty::parse(*v);
      if (!q) return fail("volume", *v, to_string(q.error().code));
      row.volume = *q;
    }
    row.close_time_ms = row.open_time_ms + 59'999;
    if (const auto v = cell(kCloseTime); v && !v->empty()) {
      auto ct = parse_time_ms(*v);
      if (!ct) return fail("close_time", *v, ct.error());
      row.close_time_ms = *ct;
    }
    if (const auto v = cell(kTrades); v && !v->empty()) {
      std::uint32_t n = 0;
      const auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
      if (ec != std::errc{} || p != v->data() + v->size()) return fail("trades", *v, "not an integer");
      row.trades = n;
    }
    if (const auto v = cell(kTakerBuy); v && !v->empty()) {
      auto q = BtcQty::parse(*v);
      if (!q) return fail("taker_buy_base_asset_volume", *v, to_string(q.error().code));
      row.taker_buy_volume = *q;
      row.has_taker_buy = true;
    }
    if (row.high < row.low || row.close > row.high || row.close < row.low || row.open > row.high ||
        row.open < row.low) {
      return fail("high/low", *cell(kHigh), "bar is inconsistent (open/close outside [low, high])");
    }
    if (!rows.empty() && row.open_time_ms <= rows.back().open_time_ms) {
      return fail("open_time", *t, "not after the previous row's open time");
    }
    rows.push_back(row);
  }
  if (rows.empty()) return Err{KlineCsvError{0, "no kline rows"}};
  return rows;
}

Result<std::vector<KlineRow>, KlineCsvError> read_kline_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Err{KlineCsvError{0, "cannot open klines file \"" + path + "\""}};
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  return parse_kline_csv(text);
}

}  // namespace polybot::feed
