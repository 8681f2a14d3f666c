// libFuzzer target: arbitrary bytes through the CoinGecko simple-price parser (the copying path and, with
// padding after the bytes, the in-place path). Built only with POLYBOT_BUILD_FUZZ=ON and clang.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "feed/coingecko/coingecko_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static polybot::feed::CoinGeckoParser parser("bitcoin", "usd");
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  polybot::RefPrice r;
  if (parser.parse(bytes, 0, 1, r) == polybot::feed::ParseStatus::kOk && r.value.raw <= 0) std::abort();
  std::string padded(bytes);
  padded.append(64, '\0');
  if (parser.parse(std::string_view(padded.data(), size), 64, 1, r) == polybot::feed::ParseStatus::kOk &&
      r.value.raw <= 0) {
    std::abort();
  }
  return 0;
}
