// The one translation unit that compiles Boost.Asio, Asio SSL and Beast function bodies (separate-compilation
// mode, see docs/NET.md and docs/DECISIONS.md). Every other TU that includes them sees declarations only.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
