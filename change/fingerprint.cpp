#include "change/fingerprint.hpp"

#include "util/sha256.hpp"
#include "util/utf8.hpp"

#include <algorithm>

namespace archiver {

std::string normalise_field(std::string_view text) { return utf8::collapse_spaces(text); }

std::string content_hash(const Article& article) {
  // Fields are length-prefixed so that moving text between fields changes the hash.
  std::string canonical;
  const auto add_normal = [&](std::string_view name, std::string_view normal) {
    canonical.append(name).append("=").append(std::to_string(normal.size()));
    canonical.append(":").append(normal).append("\n");
  };
  const auto add = [&](std::string_view name, const std::optional<std::string>& value) {
    if (!value) {
      canonical.append(name).append("=null\n");
      return;
    }
    add_normal(name, normalise_field(*value));
  };
  add("title", article.title);
  add("kicker", article.kicker);
  add("subtitle", article.subtitle);
  add("published", article.published);
  add("author", article.author);
  add("source", article.source);
  // The words of every paragraph with one space between them. The paragraphs are joined by line
  // breaks and collapsed once, as a whole: a line break is a space like any other, and an empty
  // paragraph leaves nothing. (They were collapsed one by one, then joined and collapsed again:
  // the same text, and the same hash, for twice the work.)
  std::string body;
  for (const auto& paragraph : article.body) {
    body.append(paragraph).append("\n");
  }
  add_normal("body", normalise_field(body));
  // Pictures count by URL and caption (a replaced photo at the same URL is found by its bytes,
  // when the asset is fetched). Left out when there are none, so that the hash of an article
  // without pictures is what it was before pictures counted.
  for (const auto& image : article.images) {
    add("image", image.url);
    add("caption", image.caption);
  }
  return sha256_hex(canonical);
}

std::vector<std::string> changed_fields(const Article& before, const Article& now) {
  std::vector<std::string> fields;
  const auto differs = [](const std::optional<std::string>& a,
                          const std::optional<std::string>& b) {
    return normalise_field(a.value_or("")) != normalise_field(b.value_or(""));
  };
  const auto check = [&](std::string_view name, bool changed) {
    if (changed) {
      fields.emplace_back(name);
    }
  };
  check("title", normalise_field(before.title) != normalise_field(now.title));
  check("kicker", differs(before.kicker, now.kicker));
  check("subtitle", differs(before.subtitle, now.subtitle));
  check("published", differs(before.published, now.published));
  check("author", differs(before.author, now.author));
  check("source", differs(before.source, now.source));
  check("body", before.body_text() != now.body_text());
  const auto same_picture = [](const ArticleImage& a, const ArticleImage& b) {
    return a.url == b.url && a.caption == b.caption;
  };
  check("images", !std::ranges::equal(before.images, now.images, same_picture));
  return fields;
}

}  // namespace archiver
