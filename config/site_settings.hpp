#pragma once
// Reading the [[site]] tables into SiteSettings (settings.hpp): each site's keys, then the checks
// that involve more than one key (required keys per parser, the default scope, start pages and
// editions inside the scope), and unique names.

#include "config/field_reader.hpp"

namespace archiver::config {

// The [[site]] array at f into settings.sites; each site starts from settings.fetch.
void read_sites(const Field& f, Settings& settings);

}  // namespace archiver::config
