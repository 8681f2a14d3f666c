// The public Hardhat account #0 test key used by every oms vector (never a real key).
#pragma once

#include <string_view>

#include "oms/crypto/signer.hpp"

namespace polybot::oms::test {

inline constexpr std::string_view kHardhatKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
inline constexpr std::string_view kHardhatAddress = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

inline Signer hardhat_signer() {
  auto key = PrivateKey::from_hex(kHardhatKey, "test");
  auto s = Signer::make(std::move(key).value());
  return std::move(s).value();
}

}  // namespace polybot::oms::test
