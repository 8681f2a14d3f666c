#include "oms/order/order_body.hpp"

#include <cstring>

#include "oms/crypto/hex.hpp"
#include "oms/crypto/l2_auth.hpp"

namespace polybot::oms {
namespace {

// Bounded appender: every write checks capacity; once it overflows, it stays failed.
struct Writer {
  char* out;
  std::size_t cap;
  std::size_t n = 0;
  bool ok = true;

  void raw(std::string_view s) noexcept {
    if (!ok || n + s.size() > cap) {
      ok = false;
      return;
    }
    std::memcpy(out + n, s.data(), s.size());
    n += s.size();
  }
  void u64(std::uint64_t v) noexcept {
    char tmp[20];
    raw(std::string_view(tmp, write_u64(v, tmp)));
  }
  void quoted_u64(std::uint64_t v) noexcept {
    raw("\"");
    u64(v);
    raw("\"");
  }
  void hex(const std::uint8_t* data, std::size_t len) noexcept {  // "0x...."
    if (!ok || n + 4 + 2 * len > cap) {
      ok = false;
      return;
    }
    out[n++] = '"';
    out[n++] = '0';
    out[n++] = 'x';
    n += write_hex(data, len, out + n);
    out[n++] = '"';
  }
  void address(const Address& a) noexcept {
    if (!ok || n + Address::kHexLen + 2 > cap) {
      ok = false;
      return;
    }
    out[n++] = '"';
    a.write_checksummed(out + n);
    n += Address::kHexLen;
    out[n++] = '"';
  }
  void string(std::string_view s) noexcept {
    raw("\"");
    if (!ok) return;
    const std::size_t w = write_json_escaped(s, out + n, cap - n);
    if (w == 0 && !s.empty()) {
      ok = false;
      return;
    }
    n += w;
    raw("\"");
  }
};

}  // namespace

std::size_t write_json_escaped(std::string_view s, char* out, std::size_t capacity) noexcept {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t n = 0;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    char esc[6];
    std::size_t len = 0;
    switch (c) {
      case '"': esc[0] = '\\'; esc[1] = '"'; len = 2; break;
      case '\\': esc[0] = '\\'; esc[1] = '\\'; len = 2; break;
      case '\b': esc[0] = '\\'; esc[1] = 'b'; len = 2; break;
      case '\f': esc[0] = '\\'; esc[1] = 'f'; len = 2; break;
      case '\n': esc[0] = '\\'; esc[1] = 'n'; len = 2; break;
      case '\r': esc[0] = '\\'; esc[1] = 'r'; len = 2; break;
      case '\t': esc[0] = '\\'; esc[1] = 't'; len = 2; break;
      default:
        if (c < 0x20) {
          esc[0] = '\\'; esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
          esc[4] = kHex[c >> 4]; esc[5] = kHex[c & 15];
          len = 6;
        } else {
          esc[0] = ch;
          len = 1;
        }
    }
    if (n + len > capacity) return 0;
    std::memcpy(out + n, esc, len);
    n += len;
  }
  return n;
}

std::size_t write_order_body(const SignedOrder& so, const OrderBodyOptions& opt, char* out,
                             std::size_t capacity) noexcept {
  const OrderV2& o = so.order;
  Writer w{out, capacity};
  w.raw(opt.defer_exec ? "{\"deferExec\":true" : "{\"deferExec\":false");
  w.raw(opt.post_only ? ",\"postOnly\":true" : ",\"postOnly\":false");
  w.raw(",\"order\":{\"salt\":");
  w.u64(o.salt);
  w.raw(",\"maker\":");
  w.address(o.maker);
  w.raw(",\"signer\":");
  w.address(o.signer);
  w.raw(",\"tokenId\":\"");
  w.raw(o.token_id.text());
  w.raw("\",\"makerAmount\":");
  w.quoted_u64(o.maker_amount);
  w.raw(",\"takerAmount\":");
  w.quoted_u64(o.taker_amount);
  w.raw(o.side == Side::kBuy ? ",\"side\":\"BUY\"" : ",\"side\":\"SELL\"");
  w.raw(",\"signatureType\":");
  w.u64(static_cast<std::uint8_t>(o.signature_type));
  w.raw(",\"timestamp\":");
  w.quoted_u64(o.timestamp_ms);
  w.raw(",\"expiration\":");
  w.quoted_u64(o.expiration_s);
  w.raw(",\"metadata\":");
  w.hex(o.metadata.data(), o.metadata.size());
  w.raw(",\"builder\":");
  w.hex(o.builder.data(), o.builder.size());
  w.raw(",\"signature\":");
  w.hex(so.signature.bytes.data(), so.signature.len);
  w.raw("},\"owner\":");
  w.string(opt.owner);
  w.raw(",\"orderType\":\"");
  w.raw(to_string(opt.order_type));
  w.raw("\"}");
  return w.ok ? w.n : 0;
}

}  // namespace polybot::oms
