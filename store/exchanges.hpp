#pragma once
// The fetch log read as HTTP exchanges, with the article versions each one made: what a WARC
// export writes.

#include "store/records.hpp"
#include "store/sqlite.hpp"

#include <cstdint>
#include <functional>
#include <vector>

namespace archiver {

// Each fetch of the query that brought a body, or a 304, in the order fetched, one at a time.
void each_exchange(sqlite::Database& db, const ExchangeQuery& query,
                   const std::function<void(const ArchivedExchange&)>& visit);

// The article versions read from the response of one fetch (several when one page prints
// several articles), in the order stored.
[[nodiscard]] std::vector<StoredArticle> versions_from_fetch(sqlite::Database& db,
                                                             std::int64_t fetch_id);

}  // namespace archiver
