#pragma once
// Reading [serve], the web interface's table, into ServeSettings (settings.hpp).

#include "config/field_reader.hpp"

namespace archiver::config {

void read_serve_table(const Field& f, ServeSettings& serve);

}  // namespace archiver::config
