#include "app/cli.hpp"

namespace polybot::app {

void add_indicators_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("indicators", "Indicator table (TA-Lib definitions) as CSV (--klines CSV)");
  cmd->allow_extras();
  cmd->callback([&ctx] { ctx.exit_code = not_implemented("indicators"); });
}

}  // namespace polybot::app
