#include "util/sha256.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace archiver {
namespace {

std::string to_hex(const unsigned char* digest, unsigned int length) {
  static constexpr std::string_view k_hex = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(k_hex[digest[i] >> 4U]);
    hex.push_back(k_hex[digest[i] & 0x0FU]);
  }
  return hex;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL EVP_Digest(SHA-256) failed");
  }
  return to_hex(digest.data(), length);
}

struct Sha256::Context {
  struct Free {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> handle{EVP_MD_CTX_new()};

  void start() {
    if (!handle || EVP_DigestInit_ex(handle.get(), EVP_sha256(), nullptr) != 1) {
      throw std::runtime_error("OpenSSL EVP_DigestInit_ex(SHA-256) failed");
    }
  }
};

Sha256::Sha256() : m_context(std::make_unique<Context>()) { m_context->start(); }
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::string_view bytes) {
  if (EVP_DigestUpdate(m_context->handle.get(), bytes.data(), bytes.size()) != 1) {
    throw std::runtime_error("OpenSSL EVP_DigestUpdate(SHA-256) failed");
  }
}

std::string Sha256::finish() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(m_context->handle.get(), digest.data(), &length) != 1) {
    throw std::runtime_error("OpenSSL EVP_DigestFinal_ex(SHA-256) failed");
  }
  m_context->start();
  return to_hex(digest.data(), length);
}

}  // namespace archiver
