// The private key and API secrets never appear in `polybot order|auth` output, on success or on any error path;
// bad values exit 2 naming the flag and value.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/oms/run_polybot.hpp"
#include "tests/oms/test_keys.hpp"

namespace polybot::oms {
namespace {

const std::string kKeyDigits = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const std::string kSecret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXh5eg==";

std::string write_file(const std::string& name, const std::string& text, mode_t mode) {
  const std::string p = "/tmp/polybot_cli_secrets_" + std::to_string(::getpid()) + "_" + name;
  std::ofstream(p, std::ios::binary) << text;
  ::chmod(p.c_str(), mode);
  return p;
}

void expect_no_secret(const test::RunResult& r, const std::string& what) {
  for (const std::string& needle : {kKeyDigits, kKeyDigits.substr(0, 16), kKeyDigits.substr(40), kSecret}) {
    EXPECT_EQ(r.out.find(needle), std::string::npos) << what << " stdout: " << r.out;
    EXPECT_EQ(r.err.find(needle), std::string::npos) << what << " stderr: " << r.err;
  }
}

const std::vector<std::string> kOrder = {"order", "build", "--token-id", "1234", "--side", "BUY", "--tick-size",
                                         "0.01", "--price", "0.55", "--size", "10", "--salt", "1",
                                         "--timestamp-ms", "1790000000000"};

// Appends `extra`; a flag already in `base` gets its value replaced instead (CLI11 refuses repeated options).
std::vector<std::string> with(std::vector<std::string> base, const std::vector<std::string>& extra) {
  for (std::size_t i = 0; i < extra.size(); ++i) {
    const bool has_value = i + 1 < extra.size() && extra[i + 1].rfind("--", 0) != 0;
    bool replaced = false;
    for (std::size_t j = 0; has_value && j + 1 < base.size(); ++j) {
      if (base[j] == extra[i]) {
        base[j + 1] = extra[i + 1];
        replaced = true;
      }
    }
    if (!replaced) {
      base.push_back(extra[i]);
      if (has_value) base.push_back(extra[i + 1]);
    }
    if (has_value) ++i;
  }
  return base;
}

TEST(CliSecrets, KeyNeverAppearsOnSuccessOrFailure) {
  const std::string good = write_file("good", std::string(test::kHardhatKey) + "\n", 0600);
  const std::string open = write_file("open", std::string(test::kHardhatKey) + "\n", 0644);
  const std::string bad = write_file("bad", kKeyDigits + "zz\n", 0600);
  const std::string env_key = std::string("POLYBOT_PRIVATE_KEY=") + kKeyDigits;
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> env;
    int exit_code;
  };
  const std::vector<Case> cases = {
      {with(kOrder, {"--key-file", good}), {}, 0},
      {with(kOrder, {"--key-file", open}), {}, 2},
      {with(kOrder, {"--key-file", bad}), {}, 2},
      {with(kOrder, {"--key-file", "/nonexistent"}), {env_key}, 2},
      {kOrder, {env_key}, 0},
      {kOrder, {"POLYBOT_PRIVATE_KEY=" + kKeyDigits + "00"}, 2},
      {with(kOrder, {"--key-file", good, "--funder", "0xnot"}), {env_key}, 2},
      {{"auth", "l1", "--key-file", good, "--timestamp", "1"}, {}, 0},
      {{"auth", "l1", "--key-file", open}, {env_key}, 2},
      {{"auth", "l2", "--api-key", "k", "--secret", kSecret + "*", "--passphrase", "p", "--address",
        std::string(test::kHardhatAddress), "--method", "GET", "--path", "/x"}, {}, 2},
      {{"auth", "l2", "--api-key", "k", "--secret", kSecret, "--passphrase", "p", "--address", "0x12", "--method",
        "GET", "--path", "/x"}, {}, 2},
  };
  for (const Case& c : cases) {
    const test::RunResult r = test::run_polybot(c.args, c.env);
    std::string what;
    for (const auto& a : c.args) what += a + " ";
    EXPECT_EQ(r.exit_code, c.exit_code) << what << r.err;
    expect_no_secret(r, what);
  }
  ::unlink(good.c_str());
  ::unlink(open.c_str());
  ::unlink(bad.c_str());
}

TEST(CliSecrets, GroupReadableKeyFileIsRefusedNamingPathAndMode) {
  const std::string open = write_file("open2", std::string(test::kHardhatKey), 0640);
  const test::RunResult r = test::run_polybot(with(kOrder, {"--key-file", open}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(open), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("0640"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  ::unlink(open.c_str());
}

TEST(CliOrder, BadValuesExitTwoNamingFlagAndValue) {
  const std::string good = write_file("good2", std::string(test::kHardhatKey), 0600);
  struct Case {
    std::vector<std::string> extra;
    std::string flag, value;
  };
  const std::vector<Case> cases = {
      {{"--price", "0.555"}, "--price", "0.555"},
      {{"--price", "1.5"}, "--price", "1.5"},
      {{"--price", "abc"}, "--price", "abc"},
      {{"--tick-size", "0.02"}, "--tick-size", "0.02"},
      {{"--side", "buy"}, "--side", "buy"},
      {{"--size", "4"}, "--size", "4"},
      {{"--token-id", "0x12"}, "--token-id", "0x12"},
      {{"--salt", "9007199254740992"}, "--salt", "9007199254740992"},
      {{"--order-type", "IOC"}, "--order-type", "IOC"},
      {{"--order-type", "FOK", "--post-only"}, "--post-only", "FOK"},
      {{"--signature-type", "7"}, "--signature-type", "7"},
      {{"--chain-id", "1"}, "--chain-id", "1"},
      {{"--exchange-version", "1"}, "--exchange-version", "1"},
      {{"--metadata", "0x12"}, "--metadata", "0x12"},
  };
  for (const Case& c : cases) {
    const test::RunResult r = test::run_polybot(with(with(kOrder, {"--key-file", good}), c.extra));
    EXPECT_EQ(r.exit_code, 2) << c.flag << " " << c.value;
    EXPECT_NE(r.err.find(c.flag), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.value), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
  // A marketable BUY under $1 is refused before signing.
  const test::RunResult r = test::run_polybot(
      {"order", "build", "--key-file", good, "--token-id", "1", "--side", "BUY", "--tick-size", "0.01", "--price",
       "0.5", "--market-order", "--amount", "0.99"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--amount \"0.99\""), std::string::npos) << r.err;
  ::unlink(good.c_str());
}

TEST(CliOrder, EveryOrderAndAuthSubcommandHasHelp) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"order", "--help"}, {"order", "build", "--help"}, {"auth", "--help"},
        {"auth", "l1", "--help"}, {"auth", "l2", "--help"}}) {
    const test::RunResult r = test::run_polybot(args);
    EXPECT_EQ(r.exit_code, 0) << args.back();
    EXPECT_NE(r.out.find("Usage"), std::string::npos);
  }
}

}  // namespace
}  // namespace polybot::oms
