# Every dependency comes from a Debian package (see scripts/setup and the README).
# Headers of dependencies are SYSTEM includes so our strict warnings apply to our code only.
find_package(PkgConfig REQUIRED)
find_package(CURL 7.85 REQUIRED)          # fetch: http(s), redirects, decompression
find_package(SQLite3 REQUIRED)            # store
find_package(spdlog REQUIRED)             # logging to stderr / journald
find_package(Boost 1.74 REQUIRED)         # Asio (daemon), Beast (test and sample servers)
find_package(tomlplusplus REQUIRED)       # config
find_package(CLI11 REQUIRED)              # command line
find_package(OpenSSL REQUIRED)            # SHA-256 content addresses
find_package(nlohmann_json 3 REQUIRED)    # JSON output
find_package(ZLIB REQUIRED)               # gzip: WARC records, the test/sample server
find_package(Threads REQUIRED)
pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)        # HTML5 parsing
pkg_check_modules(UCHARDET REQUIRED IMPORTED_TARGET uchardet)  # charset detection
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)       # raw body compression
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd) # sd_notify
pkg_check_modules(OPENCC REQUIRED IMPORTED_TARGET opencc)      # 繁/简 folding for search

add_library(archiver_deps_public INTERFACE)
target_link_libraries(archiver_deps_public INTERFACE
  spdlog::spdlog nlohmann_json::nlohmann_json tomlplusplus::tomlplusplus Threads::Threads
  Boost::headers)

add_library(archiver_deps_private INTERFACE)
target_link_libraries(archiver_deps_private INTERFACE
  CURL::libcurl SQLite::SQLite3 OpenSSL::Crypto PkgConfig::GUMBO PkgConfig::UCHARDET
  PkgConfig::ZSTD PkgConfig::SYSTEMD PkgConfig::OPENCC ZLIB::ZLIB CLI11::CLI11)
