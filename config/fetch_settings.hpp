#pragma once
// Reading [fetch] and a site's [site.fetch] into FetchSettings (settings.hpp).

#include "config/field_reader.hpp"

namespace archiver::config {

// The table at f into fetch, key by key on top of what fetch holds already.
void read_fetch_table(const Field& f, FetchSettings& fetch);

// `assets`: a list of "pdf", "page-image" and "images" (photos in articles); [] keeps none. Also
// a site key of its own.
void read_assets(const Field& f, FetchSettings& fetch);

}  // namespace archiver::config
