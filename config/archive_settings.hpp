#pragma once
// Reading [archive] (the database, the User-Agent, the size cap) and [daemon] into Settings
// (settings.hpp).

#include "config/field_reader.hpp"

namespace archiver::config {

// A relative database path is taken from settings.source's folder.
void read_archive_table(const Field& f, Settings& settings);
void read_daemon_table(const Field& f, Settings& settings);

}  // namespace archiver::config
