// Runs the built `polybot` binary (POLYBOT_BINARY_DIR/app/polybot) with arguments through the shell, capturing
// stdout and stderr together, for end-to-end tests of the command line. Test code only.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace test {

inline const std::string kPolybot = std::string(POLYBOT_BINARY_DIR) + "/app/polybot";

// `code` is the exit status (-1 if the process could not run or did not exit normally).
inline std::string run_polybot(const std::string& args, int& code) {
  std::string out;
  FILE* p = popen((kPolybot + " " + args + " 2>&1").c_str(), "r");
  if (p == nullptr) {
    code = -1;
    return out;
  }
  char buf[4096];
  std::size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int st = pclose(p);
  code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::stringstream ss;
  ss << std::ifstream(p).rdbuf();
  return ss.str();
}

}  // namespace test
