#include "app/cli.hpp"

namespace polybot::app {

void add_montecarlo_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("montecarlo", "Risk of ruin / drawdown distribution of a sizing policy ([--config F] [--runs N])");
  cmd->allow_extras();
  cmd->callback([&ctx] { ctx.exit_code = not_implemented("montecarlo"); });
}

}  // namespace polybot::app
