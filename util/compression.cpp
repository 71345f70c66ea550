#include "util/compression.hpp"

// The fastCover trainer with parameters of our choosing is in zstd's advanced API: exported by
// the shared library, its parameter struct as the header we build against (Debian's libzstd-dev,
// the same package as the library) declares it.
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
#include <zstd.h>

#include <stdexcept>
#include <utility>
#include <vector>

namespace archiver {
namespace {

// One context per thread, reused: creating one costs more than compressing a page with it.
struct FreeCCtx {
  void operator()(ZSTD_CCtx* context) const { ZSTD_freeCCtx(context); }
};
struct FreeDCtx {
  void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};

ZSTD_CCtx* compress_context() {
  // initial-exec: in the SQLite extension (dlopen'd) too the contexts sit in static TLS. A
  // dynamic TLS block there made GCC 12's LeakSanitizer crash reading it at exit (glibc 2.36).
  [[gnu::tls_model("initial-exec")]] thread_local const std::unique_ptr<ZSTD_CCtx, FreeCCtx>
      context(ZSTD_createCCtx());
  if (!context) {
    throw std::bad_alloc();
  }
  return context.get();
}

ZSTD_DCtx* decompress_context() {
  [[gnu::tls_model("initial-exec")]] thread_local const std::unique_ptr<ZSTD_DCtx, FreeDCtx>
      context(ZSTD_createDCtx());
  if (!context) {
    throw std::bad_alloc();
  }
  return context.get();
}

std::string checked_compression(std::string out, std::size_t written) {
  if (ZSTD_isError(written) != 0U) {
    throw std::runtime_error(std::string("zstd compression failed: ") + ZSTD_getErrorName(written));
  }
  out.resize(written);
  return out;
}

template <typename Decompress>
std::expected<std::string, std::string> decompress_frame(std::string_view data,
                                                         std::size_t max_size,
                                                         Decompress&& decompress) {
  // Every frame here is written in one piece by this file, which records the content size.
  const unsigned long long size = ZSTD_getFrameContentSize(data.data(), data.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return std::unexpected("not a zstd frame with a known size");
  }
  if (size > max_size) {
    return std::unexpected("zstd frame of " + std::to_string(size) + " bytes exceeds the limit");
  }
  std::string out(static_cast<std::size_t>(size), '\0');
  const std::size_t written = decompress(out);
  if (ZSTD_isError(written) != 0U) {
    return std::unexpected(std::string("zstd: ") + ZSTD_getErrorName(written));
  }
  out.resize(written);
  return out;
}

}  // namespace

void ZstdDictionary::FreeCDict::operator()(ZSTD_CDict_s* dictionary) const {
  ZSTD_freeCDict(dictionary);
}

void ZstdDictionary::FreeDDict::operator()(ZSTD_DDict_s* dictionary) const {
  ZSTD_freeDDict(dictionary);
}

ZstdDictionary::ZstdDictionary(std::string bytes, int level)
    : m_bytes(std::move(bytes)), m_id(ZDICT_getDictID(m_bytes.data(), m_bytes.size())) {
  if (m_id == 0) {
    throw std::invalid_argument("not a zstd dictionary (" + std::to_string(m_bytes.size()) +
                                " bytes)");
  }
  m_compress.reset(ZSTD_createCDict(m_bytes.data(), m_bytes.size(), level));
  m_decompress.reset(ZSTD_createDDict(m_bytes.data(), m_bytes.size()));
  if (!m_compress || !m_decompress) {
    throw std::invalid_argument("zstd could not load dictionary " + std::to_string(m_id));
  }
}

std::string ZstdDictionary::compress(std::string_view bytes) const {
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  const std::size_t written = ZSTD_compress_usingCDict(
      compress_context(), out.data(), out.size(), bytes.data(), bytes.size(), m_compress.get());
  return checked_compression(std::move(out), written);
}

std::expected<std::string, std::string> ZstdDictionary::decompress(std::string_view frame,
                                                                   std::size_t max_size) const {
  return zstd_decompress(frame, max_size, this);
}

std::string zstd_compress(std::string_view bytes, int level) {
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  const std::size_t written = ZSTD_compressCCtx(compress_context(), out.data(), out.size(),
                                                bytes.data(), bytes.size(), level);
  return checked_compression(std::move(out), written);
}

std::expected<std::string, std::string> zstd_decompress(std::string_view data, std::size_t max_size,
                                                        const ZstdDictionary* dictionary) {
  const std::uint32_t wanted = zstd_frame_dictionary_id(data);
  const std::uint32_t given = dictionary != nullptr ? dictionary->id() : 0;
  if (wanted != given) {
    return std::unexpected("zstd frame needs dictionary " + std::to_string(wanted) + ", not " +
                           std::to_string(given));
  }
  return decompress_frame(data, max_size, [&](std::string& out) {
    if (dictionary == nullptr) {
      return ZSTD_decompressDCtx(decompress_context(), out.data(), out.size(), data.data(),
                                 data.size());
    }
    return ZSTD_decompress_usingDDict(decompress_context(), out.data(), out.size(), data.data(),
                                      data.size(), dictionary->m_decompress.get());
  });
}

std::uint32_t zstd_frame_dictionary_id(std::string_view frame) {
  return ZSTD_getDictID_fromFrame(frame.data(), frame.size());
}

std::expected<std::string, std::string> zstd_train_dictionary(const ZstdSamples& samples,
                                                              std::size_t capacity,
                                                              std::uint32_t id) {
  // zstd's fastCover with its segment size fixed, not searched: ZDICT_trainFromBuffer tries
  // five sizes, compressing a quarter of the samples with each, then the dictionary was
  // finalized a second time to carry our id. That ran on the writer thread while the parse
  // pool waited. On 400 pages of the benchmark site one training took 0.137 s against 0.021 s
  // now, and the dictionary compresses 2,000 other pages 9.10x against 9.21x; on 400 article
  // texts 0.105 s against 0.012 s, 6.54x against 6.57x.
  ZDICT_fastCover_params_t params{};
  params.k = 1024;  // segment size (the search's pick for pages)
  params.d = 8;     // dmer size: zstd's default
  params.f = 20;    // log2 of the frequency table: zstd's default
  params.accel = 1;
  params.zParams.compressionLevel = k_zstd_level;
  params.zParams.dictID = id;
  std::string dictionary(capacity, '\0');
  const std::size_t size = ZDICT_trainFromBuffer_fastCover(
      dictionary.data(), dictionary.size(), samples.bytes.data(), samples.sizes.data(),
      static_cast<unsigned>(samples.sizes.size()), params);
  if (ZDICT_isError(size) != 0U) {
    return std::unexpected(std::string("zstd dictionary training: ") + ZDICT_getErrorName(size));
  }
  dictionary.resize(size);
  return dictionary;
}

}  // namespace archiver
