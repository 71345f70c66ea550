#pragma once
// SHA-256 digests, the content addresses of stored bodies and assets.

#include <memory>
#include <string>
#include <string_view>

namespace archiver {

// Lower-case hex SHA-256 of bytes (64 characters).
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

// The same digest over bytes that arrive in parts (an asset streamed to disk).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  // Lower-case hex of everything given so far; the object starts over afterwards.
  [[nodiscard]] std::string finish();

 private:
  struct Context;
  std::unique_ptr<Context> m_context;
};

}  // namespace archiver
