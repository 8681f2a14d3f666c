#include "app/pipeline/run_journal.hpp"

#include <filesystem>
#include <fstream>

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

}  // namespace polybot::app
