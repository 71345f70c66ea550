#pragma once
// The headers every response of the web interface carries, in one place: a
// Content-Security-Policy for each kind of response, no MIME sniffing, no referrer to the
// origins of archived links, no framing by other sites.

#include "serve/http_types.hpp"

#include <string_view>

namespace archiver::serve {

// The interface's own pages: scripts, styles and images from this server only, no inline
// script, forms submit here.
inline constexpr std::string_view k_page_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

// An archived page as fetched, or stored bytes of any kind: a sandbox (no script runs, no
// same-origin access) that loads nothing from anywhere but this server.
inline constexpr std::string_view k_archive_policy =
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
    "frame-ancestors 'self'";

// A stored PDF: browsers show PDFs with a viewer a sandbox would block; the viewer runs no
// script of the document's own with the interface's rights.
inline constexpr std::string_view k_pdf_policy =
    "default-src 'none'; object-src 'self'; frame-ancestors 'self'";

void add_policy_headers(Reply& reply);

// A page saying what went wrong, in Chinese with the English beside it.
[[nodiscard]] Reply error_reply(unsigned status, std::string_view message);

}  // namespace archiver::serve
