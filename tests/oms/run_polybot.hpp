// Runs the real `polybot` binary (built at ${POLYBOT_BINARY_DIR}/app/polybot) with an argument vector and
// captures stdout, stderr and the exit code. For CLI conformance tests; fork/exec, no shell.
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace polybot::oms::test {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string polybot_binary() { return std::string(POLYBOT_BINARY_DIR) + "/app/polybot"; }

inline std::string slurp_fd(int fd) {
  std::string s;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    s.append(buf, static_cast<std::size_t>(n));
  }
  return s;
}

// Environment entries "NAME=value" are added to (or override) nothing else: the child gets exactly `env`.
inline RunResult run_polybot(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
  char out_tmpl[] = "/tmp/polybot_out_XXXXXX";
  char err_tmpl[] = "/tmp/polybot_err_XXXXXX";
  const int out_fd = ::mkstemp(out_tmpl);
  const int err_fd = ::mkstemp(err_tmpl);
  const std::string bin = polybot_binary();
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(bin.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  RunResult r;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::execve(bin.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  ::lseek(out_fd, 0, SEEK_SET);
  ::lseek(err_fd, 0, SEEK_SET);
  r.out = slurp_fd(out_fd);
  r.err = slurp_fd(err_fd);
  ::close(out_fd);
  ::close(err_fd);
  ::unlink(out_tmpl);
  ::unlink(err_tmpl);
  return r;
}

}  // namespace polybot::oms::test
