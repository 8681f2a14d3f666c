#include "app/pipeline/run_journal.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/runner.hpp"
#include "journal/segment_file.hpp"

namespace polybot::app {

Result<std::unique_ptr<journal::JournalRecorder>, std::string> open_run_journal(const std::string& out_dir,
                                                                                 const std::string& config_text) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return Err{"--out \"" + out_dir + "\": " + ec.message()};
  const std::string jdir = out_dir + "/journal";
  for (const auto& stream : journal::list_streams(jdir)) {
    for (const auto& seg : journal::list_segments(jdir, stream)) std::filesystem::remove(seg.path, ec);
  }
  std::filesystem::create_directories(jdir, ec);
  std::ofstream(jdir + "/pipeline.toml") << config_text;
  auto rec = journal::JournalRecorder::open(journal::RecorderOptions{jdir});
  if (!rec) return Err{"--out \"" + out_dir + "\": journal: " + rec.error().message()};
  return std::move(*rec);
}

int finish_run(const std::string& out_dir, const PipelineConfig& cfg, const PipelineReport& report,
               journal::JournalRecorder* recorder) {
  if (recorder != nullptr) {
    recorder->close();
    std::fprintf(stdout, "journal written to %s/journal (%llu records not journaled)\n", out_dir.c_str(),
                 static_cast<unsigned long long>(recorder->failed()));
  }
  print_report(stdout, cfg, report);
  if (!out_dir.empty()) {
    const std::string path = out_dir + "/report.txt";
    if (std::FILE* f = std::fopen(path.c_str(), "w")) {
      print_report(f, cfg, report);
      std::fclose(f);
      std::fprintf(stdout, "report written to %s\n", path.c_str());
    }
    std::ofstream(out_dir + "/pipeline.toml") << cfg.text;
  }
  if (Runner::signal_received()) std::fprintf(stdout, "stopped by signal\n");
  return report.dropped == 0 ? 0 : 1;
}

}  // namespace polybot::app
