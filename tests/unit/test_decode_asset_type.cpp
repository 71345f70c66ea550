// Assets are judged by their bytes: a PDF link answering an HTML error page, a photo cut short,
// a PDF where an image was wanted: each is named, and what is whole passes.

#include "decode/asset_type.hpp"
#include "tests/support/asset_bytes.hpp"

#include <doctest/doctest.h>

namespace archiver {
namespace {

std::optional<std::string> problem(AssetKind kind, std::string_view bytes) {
  const std::string_view head = bytes.substr(0, 1024);
  const std::string_view tail =
      bytes.substr(bytes.size() - std::min<std::size_t>(bytes.size(), 1024));
  return asset_problem(kind, head, tail, bytes.size());
}

TEST_SUITE("decode/asset-type") {
  TEST_CASE("signatures name the type, whatever the server said") {
    CHECK(sniff_media_type(testing::png_image(4, 4, 200, 30, 30)) == "image/png");
    CHECK(sniff_media_type(testing::jpeg_bytes(600, 1)) == "image/jpeg");
    CHECK(sniff_media_type(testing::pdf_document("page 1")) == "application/pdf");
    CHECK(sniff_media_type("GIF89a\x01\x00\x01\x00") == "image/gif");
    CHECK(sniff_media_type(std::string_view("RIFF\x24\x00\x00\x00WEBPVP8 ", 16)) == "image/webp");
    CHECK(sniff_media_type("<!DOCTYPE html><html>").empty());
    // Some servers put a line before the PDF header; readers accept it within 1024 bytes.
    CHECK(sniff_media_type("\r\n" + testing::pdf_document("x")) == "application/pdf");
  }

  TEST_CASE("whole assets of the wanted kind pass") {
    CHECK_FALSE(problem(AssetKind::pdf, testing::pdf_document("page 1")));
    CHECK_FALSE(problem(AssetKind::image, testing::png_image(3, 2, 0, 0, 0)));
    CHECK_FALSE(problem(AssetKind::page_image, testing::jpeg_bytes(5000, 2)));
  }

  TEST_CASE("the wrong thing is named: an HTML page, an image for a PDF, nothing at all") {
    const auto html = problem(
        AssetKind::pdf, "<!DOCTYPE html><html><head><title>404 页面不存在</title></head></html>");
    REQUIRE(html);
    CHECK(*html == "an HTML page, not a PDF");
    const auto image = problem(AssetKind::pdf, testing::jpeg_bytes(800, 3));
    REQUIRE(image);
    CHECK(*image == "an image (image/jpeg), not a PDF");
    const auto pdf = problem(AssetKind::image, testing::pdf_document("x"));
    REQUIRE(pdf);
    CHECK(*pdf == "a PDF (application/pdf), not an image");
    const auto empty = asset_problem(AssetKind::image, "", "", 0);
    REQUIRE(empty);
    CHECK(*empty == "an empty body, not an image");
    const auto junk = problem(AssetKind::image, "\x01\x02\x03\x04 binary");
    REQUIRE(junk);
    CHECK(junk->starts_with("bytes of no known type (starting 01 02 03 04"));
  }

  TEST_CASE("a body cut short is not kept: JPEG, PNG and PDF end markers") {
    const std::string jpeg = testing::jpeg_bytes(8000, 4);
    const auto cut_jpeg = problem(AssetKind::image, std::string_view(jpeg).substr(0, 5000));
    REQUIRE(cut_jpeg);
    CHECK(cut_jpeg->find("cut short") != std::string::npos);
    const std::string png = testing::png_image(40, 40, 10, 120, 200);
    CHECK(problem(AssetKind::image, std::string_view(png).substr(0, png.size() - 12)));
    const std::string pdf = testing::pdf_document("the page");
    CHECK(problem(AssetKind::pdf, std::string_view(pdf).substr(0, pdf.size() - 20)));
    // Padding after the end marker is tolerated, as viewers do.
    CHECK_FALSE(problem(AssetKind::image, jpeg + std::string(10, '\0')));
  }

  TEST_CASE("formats that compress themselves are stored as they came") {
    CHECK(compresses_itself("image/jpeg"));
    CHECK(compresses_itself("application/pdf"));
    CHECK_FALSE(compresses_itself("image/bmp"));
    CHECK_FALSE(compresses_itself("image/tiff"));
  }
}

}  // namespace
}  // namespace archiver
