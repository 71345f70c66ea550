#include "serve/ui_files.hpp"

#include <algorithm>

namespace archiver::serve {

const UiFile* ui_file(std::string_view name) {
  const auto& files = ui_files();
  const auto found =
      std::ranges::find_if(files, [name](const UiFile& file) { return file.name == name; });
  return found == files.end() ? nullptr : &*found;
}

}  // namespace archiver::serve
