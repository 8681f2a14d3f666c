#include <cstdio>
#include <exception>

#include "app/cli.hpp"
#include "core/cpu_check.hpp"

int main(int argc, char** argv) {
  using namespace polybot::app;
  if (const char* missing = polybot::missing_cpu_features(); *missing != 0) {
    std::fprintf(stderr,
                 "polybot: this CPU lacks %s, which this build was compiled for (POLYBOT_ARCH); rebuild with "
                 "-DPOLYBOT_ARCH=generic or on this machine\n",
                 missing);
    return 2;
  }
  CLI::App root{"polybot: a low-latency trading engine for Polymarket's BTC Up/Down markets", "polybot"};
  root.require_subcommand(1);
  root.set_version_flag("--version", "polybot 0.1.0");
  CliContext ctx;
  add_demo_command(root, ctx);
  add_run_command(root, ctx);
  add_sim_command(root, ctx);
  add_replay_command(root, ctx);
  add_journal_command(root, ctx);
  add_record_command(root, ctx);
  add_backtest_command(root, ctx);
  add_indicators_command(root, ctx);
  add_book_command(root, ctx);
  add_order_command(root, ctx);
  add_auth_command(root, ctx);
  add_montecarlo_command(root, ctx);
  try {
    root.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = root.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "polybot: %s\n", e.what());
    return 1;
  }
  return ctx.exit_code;
}
