// Headers that most of archiver's files include, parsed once per target instead of once per file
// (cmake/precompiled.cmake makes this the precompiled header of the library and the tests). Only
// build time depends on what is listed here: every file still includes what it uses (the fuzz
// build compiles the library's files without this header, and so checks theirs).
//
// nlohmann/json is left out on purpose: a quarter of the files use it, and loading a
// precompiled header that holds it costs the other files more than the quarter saves.

#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

// fmt 9 (Debian 12's) has no extern declaration of its formatting core, so every file that logs
// or formats compiled its own copy (float and 128-bit integer writers included: 77 KB of code and
// some 3 seconds per file at -O2). libfmt.so exports that instantiation; this declaration makes
// the files use it. Only for GCC against the shared library: fmt's own sources leave the
// declaration out for an incompatibility between clang and GCC (fmt issue #2377), and a
// header-only fmt has no instantiation to link. Other fmt versions are left alone.
#if FMT_VERSION >= 90000 && FMT_VERSION < 100000 && !defined(FMT_HEADER_ONLY) && \
    defined(__GNUC__) && !defined(__clang__)
FMT_BEGIN_NAMESPACE
namespace detail {
extern template void vformat_to<char>(
    buffer<char>& buf, basic_string_view<char> fmt,
    basic_format_args<FMT_BUFFER_CONTEXT(type_identity_t<char>)> args, locale_ref loc);
}  // namespace detail
FMT_END_NAMESPACE
#endif
