#include "core/cpu_check.hpp"

namespace polybot {

#if defined(__x86_64__)
namespace {

char g_missing[96];

[[gnu::target("arch=x86-64")]] void append(bool have, const char* name) noexcept {
  if (have) return;
  unsigned n = 0;
  while (g_missing[n] != 0) ++n;
  if (n != 0 && n + 1 < sizeof(g_missing)) g_missing[n++] = ' ';
  for (const char* p = name; *p != 0 && n + 1 < sizeof(g_missing); ++p) g_missing[n++] = *p;
  g_missing[n] = 0;
}

}  // namespace

[[gnu::target("arch=x86-64")]] const char* missing_cpu_features() noexcept {
  g_missing[0] = 0;
  __builtin_cpu_init();
  append(__builtin_cpu_supports("sse4.2"), "sse4.2");
#if defined(__PCLMUL__)
  append(__builtin_cpu_supports("pclmul"), "pclmul");
#endif
#if defined(__AVX2__)
  append(__builtin_cpu_supports("avx2"), "avx2");
#endif
#if defined(__BMI__)
  append(__builtin_cpu_supports("bmi"), "bmi");
#endif
#if defined(__BMI2__)
  append(__builtin_cpu_supports("bmi2"), "bmi2");
#endif
#if defined(__FMA__)
  append(__builtin_cpu_supports("fma"), "fma");
#endif
#if defined(__AVX512F__)
  append(__builtin_cpu_supports("avx512f"), "avx512f");
#endif
  return g_missing;
}
#else
const char* missing_cpu_features() noexcept { return ""; }
#endif

}  // namespace polybot
