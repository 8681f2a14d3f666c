// The journal of a pipeline run: DIR/journal/ emptied of old segments, the config written first (so a run killed
// at any moment can still be verified, dumped and replayed), then the recorder opened; and the end of a run:
// journal closed, report printed and written to DIR/report.txt. Main thread, start-up and shut-down.
#pragma once

#include <memory>
#include <string>

#include "app/pipeline/pipeline.hpp"
#include "core/result.hpp"
#include "journal/journal_recorder.hpp"

namespace polybot::app {

// Errors name the directory and the reason.
Result<std::unique_ptr<journal::JournalRecorder>, std::string> open_run_journal(const std::string& out_dir,
                                                                                 const std::string& config_text);

// Closes `recorder` (may be null), prints the report to stdout and, with an `out_dir`, to out_dir/report.txt
// (and the config to out_dir/pipeline.toml). Returns the run's exit code: 1 if a message was dropped, else 0.
int finish_run(const std::string& out_dir, const PipelineConfig& cfg, const PipelineReport& report,
               journal::JournalRecorder* recorder);

}  // namespace polybot::app
