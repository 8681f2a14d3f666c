// The instruction-set extensions this binary was compiled to use (POLYBOT_ARCH) and whether the running CPU has
// them: a binary built with AVX2 on one machine and copied to an older one must refuse to start with a message
// naming what is missing, not die of SIGILL somewhere in the feed parser.
#pragma once

namespace polybot {

// "" when the CPU has every extension the build assumes; else the missing ones, space-separated ("avx2 bmi2").
// Compiled for baseline x86-64 and free of library calls, so it runs on the CPU it is checking.
const char* missing_cpu_features() noexcept;

}  // namespace polybot
