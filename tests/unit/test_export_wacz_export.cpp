// The keys a WACZ's index sorts by: SURTs as ReplayWeb.page computes them (so that it finds
// what the index lists), and CDXJ timestamps.

#include "export/wacz_export.hpp"

#include <doctest/doctest.h>

namespace archiver {

TEST_SUITE("export/wacz") {
  TEST_CASE("SURT keys: host reversed, www dropped, port kept, query arguments sorted") {
    CHECK(surt_key("http://www.Example.com/a/b.html") == "com,example)/a/b.html");
    CHECK(surt_key("https://www2.acftu.org/xwdt/?b=2&a=1") == "org,acftu)/xwdt/?a=1&b=2");
    CHECK(surt_key("http://127.0.0.1:8080/paper/node_1.htm") == "1,0,0,127:8080)/paper/node_1.htm");
    CHECK(surt_key("http://epaper.ahgrb.example.cn") == "cn,example,ahgrb,epaper)/");
    CHECK(surt_key("http://example.com:80/x#frag") == "com,example)/x");
    // Not a web URL: as it is.
    CHECK(surt_key("data:image/png;base64,AAAA") == "data:image/png;base64,AAAA");
  }

  TEST_CASE("CDXJ timestamps are the fetch time's fourteen digits") {
    CHECK(cdxj_timestamp("2024-05-09T08:30:15Z") == "20240509083015");
  }
}

}  // namespace archiver
