#include "app/cli.hpp"

namespace polybot::app {

void add_replay_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("replay", "Deterministic replay and audit of a journal (JOURNAL_DIR [--verify] [--stage S])");
  cmd->allow_extras();
  cmd->callback([&ctx] { ctx.exit_code = not_implemented("replay"); });
}

}  // namespace polybot::app
