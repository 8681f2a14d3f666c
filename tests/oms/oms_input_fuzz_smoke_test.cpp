// The oms fuzz entry under gcc: seeded random and mutated inputs (a few seconds), so the invariants run in every
// CI build, not only in the clang fuzz job.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tests/oms/fuzz/oms_input_fuzz_entry.hpp"

namespace polybot::oms {
namespace {

TEST(OmsInputFuzz, SurvivesSeedsAndMutations) {
  const std::vector<std::string> seeds = {
      "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266|0x" + std::string(64, 'a') +
          "|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=|1234|0.01|0.55|10",
      "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266|00|-_-_AQ|71321045679252212594626385532706912750332728571942532289631"
      "379312455583992563|0.001|0.985|9.98",
      "|||||0.0025|1000.123456",
      "0x1111111111111111111111111111111111111111|0x|+/+/|0|0.0001|0.0001|0.01",
      "0xF39FD6E51AAD88F6F4CE6AB8827279CFFFB92266||====|00012|0.1|0.9|18233.33",
  };
  std::mt19937_64 rng(20261122);
  std::size_t runs = 0;
  for (const auto& s : seeds) {
    polybot::oms::fuzz::fuzz_one(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
    for (int i = 0; i < 4000; ++i) {
      std::string m = s;
      const int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !m.empty(); ++e) {
        const std::size_t pos = rng() % m.size();
        switch (rng() % 3) {
          case 0: m[pos] = static_cast<char>(rng() % 256); break;
          case 1: m.erase(pos, 1); break;
          default: m.insert(pos, 1, "0123456789.|xX-_=+/aAfF"[rng() % 23]); break;
        }
      }
      polybot::oms::fuzz::fuzz_one(reinterpret_cast<const std::uint8_t*>(m.data()), m.size());
      ++runs;
    }
  }
  EXPECT_EQ(runs, seeds.size() * 4000);
}

}  // namespace
}  // namespace polybot::oms
