#include "app/cli.hpp"

namespace polybot::app {

void add_sim_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("sim", "The venue simulator alone (--config FILE)");
  cmd->allow_extras();
  cmd->callback([&ctx] { ctx.exit_code = not_implemented("sim"); });
}

}  // namespace polybot::app
