#include "core/net/test_pki.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

namespace polybot::net {
namespace {

TEST(TestPki, CreatesCaServerAndWrongHostPems) {
  auto pki = TestPki::create();
  ASSERT_TRUE(pki);
  EXPECT_EQ(pki->ca_cert_pem.rfind("-----BEGIN CERTIFICATE-----", 0), 0U);
  EXPECT_EQ(pki->server.cert_pem.rfind("-----BEGIN CERTIFICATE-----", 0), 0U);
  EXPECT_EQ(pki->server.key_pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0U);
  EXPECT_NE(pki->server.cert_pem, pki->wrong_host.cert_pem);
  auto other = TestPki::create();
  ASSERT_TRUE(other);
  EXPECT_NE(pki->ca_cert_pem, other->ca_cert_pem);
}

TEST(TestPki, WritesFilesWithPrivateKeysOwnerOnly) {
  auto pki = TestPki::create();
  ASSERT_TRUE(pki);
  const auto dir = std::filesystem::temp_directory_path() / ("polybot-pki-" + std::to_string(::getpid()));
  auto paths = pki->write_to(dir);
  ASSERT_TRUE(paths);
  EXPECT_TRUE(std::filesystem::exists(paths->ca_cert));
  EXPECT_GT(std::filesystem::file_size(paths->server_cert), 100U);
  struct stat st {};
  ASSERT_EQ(::stat(paths->server_key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace polybot::net
