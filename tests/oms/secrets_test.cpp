#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "oms/crypto/signer.hpp"
#include "oms/secrets/api_credentials.hpp"
#include "oms/secrets/private_key.hpp"
#include "tests/oms/test_keys.hpp"

namespace polybot::oms {
namespace {

constexpr std::string_view kKeyDigits = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

class TempKeyFile {
 public:
  TempKeyFile(std::string_view contents, mode_t mode) {
    char tmpl[] = "/tmp/polybot_key_XXXXXX";
    const int fd = ::mkstemp(tmpl);
    path_ = tmpl;
    EXPECT_EQ(::write(fd, contents.data(), contents.size()), static_cast<ssize_t>(contents.size()));
    ::close(fd);
    ::chmod(path_.c_str(), mode);
  }
  ~TempKeyFile() { ::unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(PrivateKey, LoadsFromAnOwnerOnlyFile) {
  TempKeyFile f(std::string(test::kHardhatKey) + "\n", 0600);
  auto key = PrivateKey::from_file(f.path());
  ASSERT_TRUE(key) << key.error().message;
  auto signer = Signer::make(std::move(key).value());
  ASSERT_TRUE(signer);
  char out[Address::kHexLen];
  signer->address().write_checksummed(out);
  EXPECT_EQ(std::string_view(out, sizeof out), test::kHardhatAddress);
}

TEST(PrivateKey, RefusesAGroupOrWorldReadableFileNamingPathAndMode) {
  for (mode_t mode : {0644, 0640, 0604, 0660}) {
    TempKeyFile f(test::kHardhatKey, mode);
    auto key = PrivateKey::from_file(f.path());
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error().code, SecretErrc::kBadPermissions);
    EXPECT_NE(key.error().message.find(f.path()), std::string::npos) << key.error().message;
    char m[8];
    std::snprintf(m, sizeof m, "%04o", static_cast<unsigned>(mode));
    EXPECT_NE(key.error().message.find(m), std::string::npos) << key.error().message;
    EXPECT_EQ(key.error().message.find(kKeyDigits), std::string::npos);
  }
}

TEST(PrivateKey, NeverPutsTheKeyInErrors) {
  // A malformed key (one digit short, one digit too many, a bad character) must not be echoed.
  const std::string shorter(kKeyDigits.substr(0, 63));
  const std::string longer = std::string(kKeyDigits) + "0";
  const std::string bad = std::string(kKeyDigits.substr(0, 63)) + "z";
  for (const std::string& text : {shorter, longer, bad}) {
    TempKeyFile f(text, 0600);
    auto key = PrivateKey::from_file(f.path());
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error().message.find(kKeyDigits.substr(0, 16)), std::string::npos) << key.error().message;
    auto k2 = PrivateKey::from_hex(text, "test");
    ASSERT_FALSE(k2);
    EXPECT_EQ(k2.error().message.find(kKeyDigits.substr(0, 16)), std::string::npos) << k2.error().message;
  }
  auto zero = PrivateKey::from_hex(std::string(64, '0'), "test");
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code, SecretErrc::kInvalidKey);
}

TEST(PrivateKey, ReadsTheEnvironmentWhenNoFileIsGiven) {
  ::setenv(kPrivateKeyEnv, std::string(test::kHardhatKey).c_str(), 1);
  EXPECT_TRUE(PrivateKey::load(""));
  ::unsetenv(kPrivateKeyEnv);
  auto missing = PrivateKey::load("");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, SecretErrc::kMissing);
  EXPECT_NE(missing.error().message.find("POLYBOT_PRIVATE_KEY"), std::string::npos);
  auto nofile = PrivateKey::load("/nonexistent/key");
  ASSERT_FALSE(nofile);
  EXPECT_NE(nofile.error().message.find("/nonexistent/key"), std::string::npos);
}

TEST(PrivateKey, WipesTheMovedFromObject) {
  auto key = PrivateKey::from_hex(test::kHardhatKey, "test").value();
  const std::uint8_t* old = key.bytes();
  PrivateKey moved = std::move(key);
  for (int i = 0; i < 32; ++i) EXPECT_EQ(old[i], 0) << i;
  EXPECT_EQ(moved.bytes()[0], 0xac);
}

TEST(ApiCredentials, LoadFromEnvironmentAndRedactErrors) {
  ::setenv(kApiKeyEnv, "00000000-0000-0000-0000-000000000000", 1);
  ::setenv(kApiSecretEnv, "not*base64*secret", 1);
  ::setenv(kApiPassphraseEnv, "pass-phrase-value", 1);
  auto bad = ApiCredentials::from_env();
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message.find("not*base64*secret"), std::string::npos);
  EXPECT_EQ(bad.error().message.find("pass-phrase-value"), std::string::npos);
  ::setenv(kApiSecretEnv, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 1);
  auto ok = ApiCredentials::from_env();
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->api_key(), "00000000-0000-0000-0000-000000000000");
  EXPECT_EQ(ok->passphrase(), "pass-phrase-value");
  ::unsetenv(kApiPassphraseEnv);
  auto missing = ApiCredentials::from_env();
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("POLYBOT_API_PASSPHRASE"), std::string::npos);
  ::unsetenv(kApiKeyEnv);
  ::unsetenv(kApiSecretEnv);
}

}  // namespace
}  // namespace polybot::oms
