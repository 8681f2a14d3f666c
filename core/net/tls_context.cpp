#include "core/net/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>

namespace polybot::net {

namespace ssl = boost::asio::ssl;

struct TlsClientContext::Impl {
  ssl::context ctx{ssl::context::tls_client};
};
struct TlsServerContext::Impl {
  ssl::context ctx{ssl::context::tls_server};
};

namespace {

std::string openssl_reason(const boost::system::error_code& ec) {
  std::string s = ec.message();
  unsigned long e = 0;
  while ((e = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    s += "; ";
    s += buf;
  }
  return s;
}

TlsError fail(const char* field, const boost::system::error_code& ec) {
  return TlsError{NetError::kTlsSetup, std::string(field) + ": " + openssl_reason(ec)};
}

}  // namespace

Result<TlsClientContext, TlsError> TlsClientContext::create(const TlsClientOptions& opts) {
  auto impl = std::make_shared<Impl>();
  auto& ctx = impl->ctx;
  boost::system::error_code ec;
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                  ec);
  if (ec) return Err{fail("tls.options", ec)};
  ctx.set_verify_mode(ssl::verify_peer, ec);
  if (ec) return Err{fail("tls.verify_mode", ec)};
  if (opts.use_system_trust) {
    ctx.set_default_verify_paths(ec);
    if (ec) return Err{fail("tls.use_system_trust", ec)};
  }
  if (!opts.extra_ca_pem.empty()) {
    ctx.add_certificate_authority(boost::asio::buffer(opts.extra_ca_pem), ec);
    if (ec) return Err{fail("tls.extra_ca_pem", ec)};
  }
  if (!opts.extra_ca_file.empty()) {
    ctx.load_verify_file(opts.extra_ca_file, ec);
    if (ec) return Err{fail(("tls.extra_ca_file (" + opts.extra_ca_file + ")").c_str(), ec)};
  }
  return TlsClientContext(std::move(impl));
}

void* TlsClientContext::native() const noexcept { return &impl_->ctx; }

Result<TlsServerContext, TlsError> TlsServerContext::create(const TlsServerOptions& opts) {
  auto impl = std::make_shared<Impl>();
  auto& ctx = impl->ctx;
  boost::system::error_code ec;
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                  ec);
  if (ec) return Err{fail("tls.options", ec)};
  ctx.use_certificate_chain(boost::asio::buffer(opts.cert_chain_pem), ec);
  if (ec) return Err{fail("tls.cert_chain_pem", ec)};
  ctx.use_private_key(boost::asio::buffer(opts.private_key_pem), ssl::context::pem, ec);
  if (ec) return Err{fail("tls.private_key_pem", ec)};
  return TlsServerContext(std::move(impl));
}

void* TlsServerContext::native() const noexcept { return &impl_->ctx; }

}  // namespace polybot::net
