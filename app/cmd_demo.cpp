#include "app/cli.hpp"

namespace polybot::app {

void add_demo_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("demo", "The main job on its embedded default");
  cmd->allow_extras();
  cmd->callback([&ctx] { ctx.exit_code = not_implemented("demo"); });
}

}  // namespace polybot::app
