// The build's instruction set (POLYBOT_ARCH) against the CPU the tests run on, and the simdjson kernel the feed
// parsers' On-Demand walk was compiled for as a consequence.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <typeinfo>

#include "core/cpu_check.hpp"

namespace {

TEST(CpuCheck, TheMachineThatBuiltTheTestsRunsThem) {
  // auto picks x86-64-v3 only after running a probe on the build machine, so nothing may be missing here.
  EXPECT_STREQ(polybot::missing_cpu_features(), "");
}

TEST(CpuCheck, OnDemandKernelFollowsTheCompileFlags) {
  const std::string parser_type = typeid(simdjson::ondemand::parser).name();
#if defined(__AVX2__) && defined(__BMI__) && defined(__PCLMUL__) && defined(__LZCNT__)
  EXPECT_NE(parser_type.find("haswell"), std::string::npos) << parser_type;
#elif defined(__x86_64__)
  EXPECT_NE(parser_type.find("westmere"), std::string::npos) << parser_type;
#endif
}

}  // namespace
