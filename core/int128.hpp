// 128-bit integers for exact intermediate products (GCC/Clang extension; __extension__ keeps -Wpedantic quiet).
#pragma once

namespace polybot {
__extension__ using i128 = __int128;
__extension__ using u128 = unsigned __int128;
}  // namespace polybot
