#include "serve/response_policy.hpp"

#include "serve/templates.hpp"

namespace archiver::serve {

void add_policy_headers(Reply& reply) {
  std::string_view policy = k_page_policy;
  switch (reply.policy) {
    case Reply::Policy::page:
      break;
    case Reply::Policy::archive:
      policy = k_archive_policy;
      break;
    case Reply::Policy::pdf:
      policy = k_pdf_policy;
      break;
  }
  reply.headers.emplace_back("Content-Security-Policy", std::string(policy));
  reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
  reply.headers.emplace_back("Referrer-Policy", "no-referrer");
  if (reply.policy == Reply::Policy::page) {
    reply.headers.emplace_back("X-Frame-Options", "DENY");
  }
}

Reply error_reply(unsigned status, std::string_view message) {
  Reply reply;
  reply.status = status;
  reply.headers.emplace_back("Cache-Control", "no-store");
  try {
    reply.body = render_page("error", {{"page_title", "出错了"},
                                       {"status", status},
                                       {"message", std::string(message)},
                                       {"q", ""},
                                       {"version", ARCHIVER_VERSION},
                                       {"site_feed", nullptr},
                                       {"site_title", ""}});
  } catch (const std::exception&) {
    // Never fails for want of a template: the message alone, as text.
    reply.content_type = "text/plain; charset=utf-8";
    reply.body = std::string(message) + "\n";
  }
  return reply;
}

}  // namespace archiver::serve
