#pragma once
// The files of the web interface (serve/ui/: templates, style sheet, script), compiled into the
// binary by cmake/embed_files.cmake.

#include <string_view>
#include <vector>

namespace archiver::serve {

struct UiFile {
  std::string_view name;  // "article.html", "style.css"
  std::string_view bytes;
};

[[nodiscard]] const std::vector<UiFile>& ui_files();

// The file of that name, or nothing.
[[nodiscard]] const UiFile* ui_file(std::string_view name);

}  // namespace archiver::serve
