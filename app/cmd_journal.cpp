#include "app/cli.hpp"

namespace polybot::app {

void add_journal_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("journal", "Journal audit tools: verify|dump|stats|export JOURNAL_DIR");
  cmd->allow_extras();
  cmd->callback([&ctx] { ctx.exit_code = not_implemented("journal"); });
}

}  // namespace polybot::app
