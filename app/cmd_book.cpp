#include "app/cli.hpp"

namespace polybot::app {

void add_book_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("book", "Rebuild books from captured WebSocket frames (replay CAPTURE...)");
  cmd->allow_extras();
  cmd->callback([&ctx] { ctx.exit_code = not_implemented("book"); });
}

}  // namespace polybot::app
