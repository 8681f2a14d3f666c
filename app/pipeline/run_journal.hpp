// The journal of a pipeline run: DIR/journal/ emptied of old segments, the config written first (so a run killed
// at any moment can still be verified, dumped and replayed), then the recorder opened. Main thread, start-up.
#pragma once

#include <memory>
#include <string>

#include "core/result.hpp"
#include "journal/journal_recorder.hpp"

namespace polybot::app {

// Errors name the directory and the reason.
Result<std::unique_ptr<journal::JournalRecorder>, std::string> open_run_journal(const std::string& out_dir,
                                                                                 const std::string& config_text);

}  // namespace polybot::app
