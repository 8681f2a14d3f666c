// Journal benchmarks. Every journal benchmark first writes records and reads them back, checking each payload,
// before anything is timed. Latency percentiles come from a per-append clock reading (LatencyHistogram), so
// they include ~20 ns of clock overhead; throughput is Google Benchmark's items/s and bytes/s.
// Baseline in the same run: the same records as JSON lines (nlohmann-json), write() + fsync() per record,
// which is what a simple bot does.
#include <fcntl.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/histogram.hpp"
#include "journal/checksum.hpp"
#include "journal/stream_reader.hpp"
#include "journal/stream_writer.hpp"

namespace {

using namespace polybot;
using namespace polybot::journal;

std::string bench_dir(const char* name) {
  const char* base = std::getenv("POLYBOT_BENCH_DIR");
  std::string d = std::string(base != nullptr ? base : "/tmp") + "/polybot-journal-bench-" + name + "-" +
                  std::to_string(::getpid());
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

std::vector<unsigned char> payload_of(std::size_t size, std::uint64_t seq) {
  std::vector<unsigned char> p(size);
  for (std::size_t i = 0; i < size; ++i) p[i] = static_cast<unsigned char>((seq * 31 + i * 7) & 0xFF);
  return p;
}

// Output check before timing: 1,000 records written and read back byte for byte.
bool verify_roundtrip(std::size_t size) {
  const std::string dir = bench_dir("verify");
  {
    WriterOptions o;
    o.dir = dir;
    o.stream = "bench";
    o.segment_size = 1 << 20;
    auto w = StreamWriter::open(o);
    if (!w) return false;
    for (std::uint64_t s = 1; s <= 1000; ++s) {
      const auto p = payload_of(size, s);
      if ((*w)->append(6, 0, static_cast<std::int64_t>(s), p.data(), static_cast<std::uint32_t>(size)) !=
          AppendStatus::kOk) {
        return false;
      }
    }
  }
  StreamReader r(dir, "bench");
  RecordView v;
  std::uint64_t n = 0;
  while (r.next(v) == ReadStatus::kRecord) {
    ++n;
    const auto p = payload_of(size, n);
    if (v.seq != n || v.size != size || std::memcmp(v.payload, p.data(), size) != 0) return false;
  }
  std::filesystem::remove_all(dir);
  return n == 1000 && r.end() == EndState::kClosed;
}

void set_latency(benchmark::State& state, const LatencyHistogram& h) {
  state.counters["p50_ns"] = static_cast<double>(h.percentile(0.50));
  state.counters["p99_ns"] = static_cast<double>(h.percentile(0.99));
  state.counters["p99.9_ns"] = static_cast<double>(h.percentile(0.999));
  state.counters["max_ns"] = static_cast<double>(h.max());
}

void journal_append(benchmark::State& state, Durability mode) {
  const auto size = static_cast<std::size_t>(state.range(0));
  if (!verify_roundtrip(size)) {
    state.SkipWithError("round-trip check failed");
    return;
  }
  const std::string dir = bench_dir("append");
  WriterOptions o;
  o.dir = dir;
  o.stream = "bench";
  o.segment_size = std::size_t{64} << 20;
  o.durability.mode = mode;
  o.durability.sync_every_ms = 1;
  auto w = StreamWriter::open(o);
  if (!w) {
    state.SkipWithError(w.error().message().c_str());
    return;
  }
  const auto p = payload_of(size, 1);
  LatencyHistogram h;
  std::int64_t ts = 0;
  for (auto _ : state) {
    const std::int64_t t0 = monotonic_ns();
    const AppendStatus s = (*w)->append(6, 0, ++ts, p.data(), static_cast<std::uint32_t>(size));
    h.record(monotonic_ns() - t0);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
  set_latency(state, h);
  state.counters["stalls"] = static_cast<double>((*w)->stalls());
  state.counters["syncs"] = static_cast<double>((*w)->syncs());
  (*w)->close();
  std::filesystem::remove_all(dir);
}

void BM_JournalAppend_None(benchmark::State& s) { journal_append(s, Durability::kNone); }
void BM_JournalAppend_Async(benchmark::State& s) { journal_append(s, Durability::kAsync); }
void BM_JournalAppend_Sync1ms(benchmark::State& s) { journal_append(s, Durability::kSync); }
BENCHMARK(BM_JournalAppend_None)->Arg(64)->Arg(512)->MinTime(1.0)->UseRealTime();
BENCHMARK(BM_JournalAppend_Async)->Arg(64)->Arg(512)->MinTime(1.0)->UseRealTime();
BENCHMARK(BM_JournalAppend_Sync1ms)->Arg(64)->Arg(512)->MinTime(1.0)->UseRealTime();

// Baseline: one JSON line per record (type, seq, ts, payload as hex), write() + fsync() each time.
void BM_JsonLinesFsyncBaseline(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const std::string dir = bench_dir("json");
  const std::string path = dir + "/journal.jsonl";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const auto p = payload_of(size, 1);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : p) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  {  // output check: one line parses back to the same payload
    nlohmann::json j = {{"type", 6}, {"seq", 1}, {"ts", 1}, {"payload", hex}};
    if (nlohmann::json::parse(j.dump())["payload"] != hex) state.SkipWithError("json round trip failed");
  }
  LatencyHistogram h;
  std::int64_t seq = 0;
  for (auto _ : state) {
    const std::int64_t t0 = monotonic_ns();
    ++seq;
    nlohmann::json j = {{"type", 6}, {"seq", seq}, {"ts", seq}, {"payload", hex}};
    std::string line = j.dump();
    line += '\n';
    if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()) || ::fsync(fd) != 0) {
      state.SkipWithError("write/fsync failed");
      break;
    }
    h.record(monotonic_ns() - t0);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
  set_latency(state, h);
  ::close(fd);
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_JsonLinesFsyncBaseline)->Arg(64)->Arg(512)->Iterations(3000)->UseRealTime();

// Tailer latency: one thread appends a record every ~2 us carrying its send time; another thread tails the
// stream and records now - send time for each record (write-to-read across two threads).
void BM_TailerWriteToRead(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  LatencyHistogram h;
  constexpr std::uint64_t kRecords = 200'000;
  for (auto _ : state) {
    const std::string dir = bench_dir("tail");
    WriterOptions o;
    o.dir = dir;
    o.stream = "bench";
    o.segment_size = std::size_t{32} << 20;
    auto w = StreamWriter::open(o);
    if (!w) {
      state.SkipWithError(w.error().message().c_str());
      return;
    }
    std::atomic<bool> failed{false};
    std::thread reader([&] {
      StreamReader t(dir, "bench", StreamReader::Mode::kTail);
      RecordView v;
      std::uint64_t seen = 0;
      while (seen < kRecords) {
        const ReadStatus s = t.next(v);
        if (s == ReadStatus::kRecord) {
          std::int64_t sent;
          std::memcpy(&sent, v.payload, 8);
          h.record(monotonic_ns() - sent);
          if (v.seq != ++seen) failed = true;
        } else if (s == ReadStatus::kFault || s == ReadStatus::kEnd) {
          failed = true;
          return;
        }
      }
    });
    std::vector<unsigned char> p(size, 0x42);
    for (std::uint64_t i = 0; i < kRecords; ++i) {
      const std::int64_t now = monotonic_ns();
      std::memcpy(p.data(), &now, 8);
      (*w)->append(6, 0, now, p.data(), static_cast<std::uint32_t>(size));
      while (monotonic_ns() - now < 2000) {
      }
    }
    reader.join();
    (*w)->close();
    std::filesystem::remove_all(dir);
    if (failed) state.SkipWithError("tailer saw a gap or a fault");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kRecords));
  set_latency(state, h);
}
BENCHMARK(BM_TailerWriteToRead)->Arg(64)->Arg(512)->Iterations(1)->UseRealTime();

// The checksum choice: XXH3-64 vs CRC32C (SSE4.2 instruction and portable table) over a record body.
template <int Kind>
void BM_Checksum(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const auto p = payload_of(size, 3);
  if (crc32c("123456789", 9) != 0xE3069283u || crc32c_portable("123456789", 9) != 0xE3069283u) {
    state.SkipWithError("crc32c check value wrong");
  }
  for (auto _ : state) {
    if constexpr (Kind == 0) benchmark::DoNotOptimize(xxh3_64(p.data(), size));
    if constexpr (Kind == 1) benchmark::DoNotOptimize(crc32c(p.data(), size));
    if constexpr (Kind == 2) benchmark::DoNotOptimize(crc32c_portable(p.data(), size));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
}
BENCHMARK(BM_Checksum<0>)->Name("BM_Checksum_XXH3_64")->Arg(64)->Arg(512);
BENCHMARK(BM_Checksum<1>)->Name("BM_Checksum_CRC32C_SSE42")->Arg(64)->Arg(512);
BENCHMARK(BM_Checksum<2>)->Name("BM_Checksum_CRC32C_portable")->Arg(64)->Arg(512);

}  // namespace

BENCHMARK_MAIN();
