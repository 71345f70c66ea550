// archiver-sample-server: serves a directory of sample pages on 127.0.0.1 for the README demo,
// with the same static-site behaviour (validators, 304s, gzip, sidecar headers) the tests use.
// The sample pages link 版面 PDFs, page scans and photos that the repository does not carry:
// for a .pdf, .jpg or .png path with no file the server answers generated stand-ins (a one-page
// PDF naming the path, a picture), the same bytes every time, so that the demo archives them.
//
//   archiver-sample-server --root DIR [--port N] [--port-file FILE]

#include <charconv>
#include <csignal>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>

#include <pthread.h>

#include "tests/support/asset_bytes.hpp"
#include "tests/support/static_site.hpp"
#include "tests/support/test_server.hpp"

namespace {

namespace fs = std::filesystem;
using archiver::testing::Request;
using archiver::testing::Response;

constexpr std::string_view usage =
    "usage: archiver-sample-server --root DIR [--port N] [--port-file FILE]\n"
    "Serves DIR on http://127.0.0.1:N/ (N = 0 or absent: any free port) until SIGTERM/SIGINT.\n";

struct Arguments {
  fs::path root;
  std::uint16_t port = 0;
  std::optional<fs::path> port_file;
};

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc{} || ptr != end || text.empty() || value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

// Returns the arguments, or an error message (empty for --help).
std::variant<Arguments, std::string> parse_arguments(int argc, char** argv) {
  Arguments arguments;
  bool have_root = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag{argv[i]};
    if (flag == "--help" || flag == "-h") {
      return std::string{};
    }
    if (i + 1 >= argc) {
      return "missing value after " + std::string{flag};
    }
    const std::string_view value{argv[++i]};
    if (flag == "--root") {
      arguments.root = value;
      have_root = true;
    } else if (flag == "--port") {
      const auto port = parse_port(value);
      if (!port) {
        return "bad port: " + std::string{value};
      }
      arguments.port = *port;
    } else if (flag == "--port-file") {
      arguments.port_file = value;
    } else {
      return "unknown option: " + std::string{flag};
    }
  }
  if (!have_root) {
    return std::string{"--root is required"};
  }
  std::error_code error;
  if (!fs::is_directory(arguments.root, error)) {
    return "not a directory: " + arguments.root.string();
  }
  return arguments;
}

// Written under a temporary name and renamed, so a script polling for the file never reads half.
void write_port_file(const fs::path& file, std::uint16_t port) {
  auto temporary = file;
  temporary += ".tmp";
  {
    std::ofstream out{temporary};
    out << port << '\n';
    if (!out.flush()) {
      throw std::runtime_error("cannot write " + temporary.string());
    }
  }
  fs::rename(temporary, file);
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// A stand-in for a PDF, scan or photo the sample pages link, or nothing for other paths.
std::optional<Response> stand_in(const Request& request) {
  const std::string& path = request.path;
  const auto seed = static_cast<unsigned>(std::hash<std::string>{}(path));
  std::string bytes;
  std::string type;
  if (ends_with(path, ".pdf")) {
    bytes = archiver::testing::pdf_document("archiver sample stand-in for " + path);
    type = "application/pdf";
  } else if (ends_with(path, ".png")) {
    bytes = archiver::testing::png_image(160, 120, static_cast<std::uint8_t>(seed),
                                         static_cast<std::uint8_t>(seed >> 8U),
                                         static_cast<std::uint8_t>(seed >> 16U));
    type = "image/png";
  } else if (ends_with(path, ".jpg") || ends_with(path, ".jpeg")) {
    // A picture a browser can show (the web interface shows scans and photos): a pale page of
    // a scan's proportions, as PNG bytes under the .jpg name, as sites do serve them.
    bytes = archiver::testing::png_image(300, 420, static_cast<std::uint8_t>(200 + seed % 56),
                                         static_cast<std::uint8_t>(190 + (seed >> 8U) % 56),
                                         static_cast<std::uint8_t>(170 + (seed >> 16U) % 56));
    type = "image/png";
  } else {
    return std::nullopt;
  }
  const std::string etag = "\"stand-in-" + std::to_string(seed) + "\"";
  if (request.header("if-none-match") == etag) {
    return Response{.status = 304, .headers = {{"ETag", etag}}};
  }
  return Response{.headers = {{"Content-Type", type}, {"ETag", etag}}, .body = std::move(bytes)};
}

int run(const Arguments& arguments) {
  // Block the stop signals before the server starts its threads (they inherit the mask), so they
  // are only ever taken by sigwait() below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  archiver::testing::TestServer server{arguments.port};
  server.set_fallback([root = arguments.root](const Request& request) {
    Response response = archiver::testing::serve_static(root, request);
    if (response.status == 404) {
      if (auto generated = stand_in(request)) {
        response = std::move(*generated);
      }
    }
    // One string, one write: lines from concurrent connections stay whole.
    std::cerr << request.method + " " + request.target + " -> " + std::to_string(response.status) +
                     (response.gzip ? " (gzip)\n" : "\n");
    return response;
  });
  if (arguments.port_file) {
    write_port_file(*arguments.port_file, server.port());
  }
  std::cout << "listening on " << server.url("/") << std::endl;

  int received = 0;
  sigwait(&stop_signals, &received);
  std::cerr << "stopping on signal " << received << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const auto parsed = parse_arguments(argc, argv);
  if (const auto* message = std::get_if<std::string>(&parsed)) {
    if (message->empty()) {
      std::cout << usage;
      return 0;
    }
    std::cerr << "archiver-sample-server: " << *message << '\n' << usage;
    return 2;
  }
  try {
    return run(std::get<Arguments>(parsed));
  } catch (const std::exception& error) {
    std::cerr << "archiver-sample-server: " << error.what() << '\n';
    return 1;
  }
}
