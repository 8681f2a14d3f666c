#include "app/cli.hpp"

namespace polybot::app {

void add_run_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("run", "Live or paper trading from a config file (--config FILE)");
  cmd->allow_extras();
  cmd->callback([&ctx] { ctx.exit_code = not_implemented("run"); });
}

}  // namespace polybot::app
