// The `polybot` command line: each subcommand lives in its own cmd_<name>.cpp and registers itself here.
// Exit codes: 0 success, 1 runtime failure, 2 bad usage or invalid input (the message names the field).
#pragma once

#include <CLI/CLI.hpp>

namespace polybot::app {

struct CliContext {
  int exit_code = 0;
};

void add_demo_command(CLI::App& root, CliContext& ctx);
void add_run_command(CLI::App& root, CliContext& ctx);
void add_sim_command(CLI::App& root, CliContext& ctx);
void add_replay_command(CLI::App& root, CliContext& ctx);
void add_journal_command(CLI::App& root, CliContext& ctx);
void add_record_command(CLI::App& root, CliContext& ctx);
void add_backtest_command(CLI::App& root, CliContext& ctx);
void add_indicators_command(CLI::App& root, CliContext& ctx);
void add_book_command(CLI::App& root, CliContext& ctx);
void add_order_command(CLI::App& root, CliContext& ctx);
void add_auth_command(CLI::App& root, CliContext& ctx);
void add_montecarlo_command(CLI::App& root, CliContext& ctx);

}  // namespace polybot::app
