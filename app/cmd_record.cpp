#include "app/cli.hpp"

namespace polybot::app {

void add_record_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("record", "Capture venue feeds to a journal (--config FILE --out DIR)");
  cmd->allow_extras();
  cmd->callback([&ctx] { ctx.exit_code = not_implemented("record"); });
}

}  // namespace polybot::app
