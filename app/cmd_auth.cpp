#include "app/cli.hpp"

namespace polybot::app {

void add_auth_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("auth", "The exact L1/L2 authentication headers (l1|l2 ...)");
  cmd->allow_extras();
  cmd->callback([&ctx] { ctx.exit_code = not_implemented("auth"); });
}

}  // namespace polybot::app
