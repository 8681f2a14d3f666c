// `polybot book replay CAPTURE... [--asset ID] [--depth N] [--hash-check MODE] [--stats]`: rebuilds books from
// captured frames through the engine's parsers and books, and prints the final book of each asset or symbol as
// one JSON object per line.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/cli.hpp"
#include "feed/book_replay.hpp"

namespace polybot::app {

namespace {

struct BookReplayArgs {
  std::vector<std::string> captures;
  std::string asset;
  std::size_t depth = 0;
  std::string hash_check = "diagnostic";
  bool stats = false;
};

int run_book_replay(const BookReplayArgs& args) {
  feed::BookSetConfig cfg = feed::BookReplay::default_config();
  if (args.hash_check == "off") {
    cfg.rest_hash = feed::HashCheckMode::kOff;
  } else if (args.hash_check == "diagnostic") {
    cfg.rest_hash = feed::HashCheckMode::kDiagnostic;
  } else if (args.hash_check == "enforce") {
    cfg.rest_hash = feed::HashCheckMode::kEnforce;
  } else {
    std::fprintf(stderr, "polybot book replay: --hash-check must be off, diagnostic or enforce, got \"%s\"\n",
                 args.hash_check.c_str());
    return 2;
  }
  feed::BookReplay replay(cfg);
  for (const std::string& path : args.captures) {
    auto file = feed::read_capture(path);
    if (!file) {
      std::fprintf(stderr, "polybot book replay: CAPTURE: %s\n", file.error().c_str());
      return 2;
    }
    for (const feed::CaptureFrame& f : feed::split_capture(file->text)) replay.feed(f);
  }
  replay.print(stdout, args.asset, args.depth);
  if (args.stats) replay.print_stats(stderr);
  std::fflush(stdout);
  return 0;
}

}  // namespace

void add_book_command(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("book", "Rebuild books from captured WebSocket frames (replay CAPTURE...)");
  cmd->require_subcommand(1);
  auto args = std::make_shared<BookReplayArgs>();
  auto* replay = cmd->add_subcommand(
      "replay",
      "Replay captured frames (Polymarket market channel: one JSON frame per line, or one JSON message/array per "
      "file; Binance: hftbacktest '<recv ns> <json>' lines with the REST snapshot; gzip or plain) through the "
      "engine's parsers and books; print each final book as one JSON line");
  replay->add_option("CAPTURE", args->captures, "capture files, replayed in order as one continuous capture")
      ->required();
  replay->add_option("--asset", args->asset, "print only this token id or Binance symbol (e.g. BTCUSDT)");
  replay->add_option("--depth", args->depth, "print at most N levels a side (0 = all)")->check(CLI::NonNegativeNumber);
  replay->add_option("--hash-check", args->hash_check,
                     "REST /book hash check: off, diagnostic (count mismatches) or enforce (mismatch = invalid)");
  replay->add_flag("--stats", args->stats, "print parse counters and book health to stderr");
  replay->callback([&ctx, args] { ctx.exit_code = run_book_replay(*args); });
}

}  // namespace polybot::app
