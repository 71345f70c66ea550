#pragma once
// Reading the [[notify]] tables (webhooks) into NotifySettings (settings.hpp).

#include "config/field_reader.hpp"

namespace archiver::config {

// The [[notify]] array at f into settings.notify; the sites it names must be in settings.sites
// already.
void read_notify(const Field& f, Settings& settings);

}  // namespace archiver::config
