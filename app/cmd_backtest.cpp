#include "app/cli.hpp"

namespace polybot::app {

void add_backtest_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("backtest", "Strategies on recorded data with simulated fills ([--config F] --data DIR --out DIR)");
  cmd->allow_extras();
  cmd->callback([&ctx] { ctx.exit_code = not_implemented("backtest"); });
}

}  // namespace polybot::app
