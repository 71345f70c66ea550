#include "parsers/article.hpp"

namespace archiver {

std::string Article::body_text() const {
  std::string text;
  for (const auto& paragraph : body) {
    if (!text.empty()) {
      text.push_back('\n');
    }
    text += paragraph;
  }
  return text;
}

}  // namespace archiver
