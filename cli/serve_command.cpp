// archiver serve: the web interface on the archive, read-only, beside the daemon.

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/open_archive.hpp"
#include "daemon/notify.hpp"
#include "daemon/signal_watch.hpp"
#include "serve/http_server.hpp"
#include "serve/listen_address.hpp"
#include "serve/reader_pool.hpp"
#include "serve/web_app.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <csignal>
#include <iostream>
#include <thread>

namespace archiver {
namespace {

// Threads answering requests; each borrows one of as many read-only connections. Enough to
// keep a slow search from holding up the pages, few enough for a small machine.
constexpr std::size_t k_serve_threads = 4;

std::string address_of(const boost::asio::ip::tcp::endpoint& endpoint) {
  const auto host = endpoint.address().to_string();
  return endpoint.address().is_v6() ? "[" + host + "]:" + std::to_string(endpoint.port())
                                    : host + ":" + std::to_string(endpoint.port());
}

}  // namespace

int run_serve(const GlobalOptions& global, const ServeOptions& options) {
  auto context = load_context(global);
  if (!context) {
    return context.error();
  }
  const std::string listen = options.listen.value_or(context->settings.serve.listen);
  const auto endpoint = serve::parse_listen_address(listen);
  if (!endpoint) {
    spdlog::error("{}: {}", options.listen ? "--listen" : "[serve] listen", endpoint.error());
    return k_exit_usage;
  }
  if (!load_search_folding()) {
    return k_exit_some_failed;
  }
  {
    auto reader = open_reader(context->database);
    if (!reader) {
      return reader.error();
    }
    if (!has_current_schema(**reader, "serve")) {
      return k_exit_database;
    }
  }
  boost::asio::io_context io;
  SignalWatch signals(io, {SIGINT, SIGTERM});  // before the threads (see signal_watch.hpp)
  std::unique_ptr<serve::HttpServer> server;
  // Written on the server's threads (a signal and a failure may come at once), read once they
  // are joined; a failure's status is kept over a signal's.
  std::atomic<int> exit_code{k_exit_ok};
  const auto stop = [&](int code) {
    if (code != k_exit_ok) {
      exit_code = code;
    }
    notify_stopping();
    server->stop();
    io.stop();
  };
  // A newer archiver upgraded the archive: every page would fail from now on. Exiting lets
  // systemd start the installed archiver again, which serves the archive or says why it cannot.
  serve::ReaderPool readers(context->database, k_serve_threads, [&](const StoreError& error) {
    boost::asio::post(io, [&stop, message = std::string(error.what())] {
      spdlog::error("serve: {}; stopping with exit status {}", message,
                    static_cast<int>(k_exit_database));
      stop(k_exit_database);
    });
  });
  serve::WebApp app(context->settings, readers);
  try {
    server = std::make_unique<serve::HttpServer>(
        io, *endpoint, [&app](const serve::Request& request) { return app.handle(request); },
        serve::ServerLimits{.header_timeout = context->settings.serve.request_timeout});
  } catch (const boost::system::system_error& error) {
    spdlog::error("serve: cannot listen on {}: {}", listen, error.code().message());
    return k_exit_usage;
  }
  signals.async_wait([&](int /*signal*/) {
    spdlog::info("serve: stopping");
    stop(k_exit_ok);
  });
  const std::string address = address_of(server->local_endpoint());
  std::cout << "archiver serve: http://" << address << "/ (archive " << context->database.string()
            << ", read-only)" << std::endl;
  spdlog::info("serve: listening on http://{}/", address);
  notify_ready();
  // A handler that throws is answered with 500 in the session; whatever escapes still must
  // not end the process (std::terminate on a thread): log it and go on serving.
  const auto run = [&io] {
    for (;;) {
      try {
        io.run();
        return;
      } catch (const std::exception& failure) {
        spdlog::error("serve: {}", failure.what());
      }
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < k_serve_threads; ++i) {
    threads.emplace_back(run);
  }
  run();
  for (auto& thread : threads) {
    thread.join();
  }
  return exit_code.load();
}

}  // namespace archiver
