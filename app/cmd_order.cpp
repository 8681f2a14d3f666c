#include "app/cli.hpp"

namespace polybot::app {

void add_order_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("order", "The exact signed order body POST /order sends (build ...)");
  cmd->allow_extras();
  cmd->callback([&ctx] { ctx.exit_code = not_implemented("order"); });
}

}  // namespace polybot::app
