// Pipeline latency harness: drives the foundation pipeline (klines -> signal -> risk -> oms) at a fixed rate and
// prints per-hop and end-to-end latency percentiles. Latency is measured from each message's intended send time
// (ts_origin), so a stall delays every message behind it in the numbers too (coordinated-omission aware).
//   pipeline_harness [--rate MSGS_PER_S] [--count N] [--wait spin|yield|block] [--threads 2|4] [--cpus a,b,...]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "app/pipeline/pipeline.hpp"
#include "core/clock.hpp"

int main(int argc, char** argv) {
  double rate = 20'000;
  std::size_t count = 200'000;
  std::string wait = "yield";
  int threads = 2;
  std::vector<int> cpus;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : "";
    if (a == "--rate") rate = std::atof(v), ++i;
    else if (a == "--count") count = std::strtoull(v, nullptr, 10), ++i;
    else if (a == "--wait") wait = v, ++i;
    else if (a == "--threads") threads = std::atoi(v), ++i;
    else if (a == "--cpus") {
      for (const char* p = v; *p;) {
        cpus.push_back(std::atoi(p));
        p = std::strchr(p, ',');
        if (!p) break;
        ++p;
      }
      ++i;
    } else {
      std::fprintf(stderr, "usage: %s [--rate R] [--count N] [--wait spin|yield|block] [--threads 2|4] [--cpus ..]\n",
                   argv[0]);
      return 2;
    }
  }
  using namespace polybot;
  auto cfg = app::default_pipeline_config();
  if (!cfg) {
    std::fprintf(stderr, "%s\n", cfg.error().c_str());
    return 2;
  }
  const auto kind = parse_wait_kind(wait);
  if (!kind) {
    std::fprintf(stderr, "--wait %s: expected spin, yield or block\n", wait.c_str());
    return 2;
  }
  cfg->threads.clear();
  const std::vector<std::vector<std::string>> placement =
      threads == 4 ? std::vector<std::vector<std::string>>{{"feed"}, {"signal"}, {"risk"}, {"oms"}}
                   : std::vector<std::vector<std::string>>{{"feed", "signal"}, {"risk", "oms"}};
  for (std::size_t i = 0; i < placement.size(); ++i) {
    app::ThreadPlacement tp;
    tp.spec.name = "h" + std::to_string(i);
    tp.spec.cpu = i < cpus.size() ? cpus[i] : -1;
    tp.spec.wait.kind = *kind;
    tp.agents = placement[i];
    cfg->threads.push_back(tp);
  }
  cfg->rate = rate;
  cfg->ema.every_bar = true;  // one intent (and order) per kline: every message crosses all four stages
  cfg->risk.capital = Usdc::from_units(1'000'000'000);
  auto rows = app::load_klines(*cfg);
  if (!rows) {
    std::fprintf(stderr, "%s\n", rows.error().c_str());
    return 1;
  }
  // Loop the real klines until `count` messages (timestamps shifted so each pass stays increasing).
  std::vector<feed::KlineRow> input;
  input.reserve(count);
  std::int64_t shift = 0;
  while (input.size() < count) {
    for (const auto& r : *rows) {
      if (input.size() == count) break;
      auto copy = r;
      copy.open_time_ms += shift;
      copy.close_time_ms += shift;
      input.push_back(copy);
    }
    shift += rows->back().open_time_ms - rows->front().open_time_ms + 60'000;
  }
  cfg->limit = 0;
  LiveClock clock;
  app::Pipeline p(*cfg, std::move(input), clock, nullptr);
  const auto report = p.run();
  std::printf("rate=%.0f/s count=%zu wait=%s threads=%d\n", rate, count, wait.c_str(), threads);
  app::print_report(stdout, *cfg, report);
  std::printf("signal: queue %s\n", report.feed_to_signal.summary().c_str());
  return report.dropped == 0 ? 0 : 1;
}
