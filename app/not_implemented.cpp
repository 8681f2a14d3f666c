#include <cstdio>

#include "app/cli.hpp"

namespace polybot::app {

int not_implemented(const char* name) {
  std::fprintf(stderr, "polybot %s: not implemented yet\n", name);
  return 2;
}

}  // namespace polybot::app
