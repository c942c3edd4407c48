// Telling a manifest from an index: mediaType first, structure otherwise.
#include <doctest/doctest.h>

#include "edgeverify/oci.hpp"
#include "unit/core/oci/oci_test_support.hpp"

using namespace edgeverify;
using oci_test::check_error;

namespace {
Expected<DocumentKind> sniff(const Json& document) {
    return sniff_document_kind(document.dump(), "blob x");
}
}  // namespace

TEST_SUITE("oci") {
    TEST_CASE("oci sniff: the mediaType decides when present") {
        CHECK(*sniff(oci_test::valid_manifest_json()) == DocumentKind::manifest);
        CHECK(*sniff(oci_test::valid_index_json()) == DocumentKind::index);
        CHECK(*sniff(Json{{"mediaType", media_type::kDockerManifestList}}) == DocumentKind::index);
        CHECK(*sniff(Json{{"mediaType", "application/vnd.example+json"}}) == DocumentKind::other);
    }

    TEST_CASE("oci sniff: without mediaType, manifests means an index") {
        Json document = oci_test::valid_index_json();
        document.erase("mediaType");
        CHECK(*sniff(document) == DocumentKind::index);
    }

    TEST_CASE("oci sniff: without mediaType, config and layers mean a manifest") {
        Json document = oci_test::valid_manifest_json();
        document.erase("mediaType");
        CHECK(*sniff(document) == DocumentKind::manifest);
    }

    TEST_CASE("oci sniff: a document of neither shape is refused") {
        check_error(sniff(Json{{"schemaVersion", 2}, {"config", Json::object()}}), Errc::schema_violation,
                    "blob x: neither an image manifest");
        check_error(sniff(Json::array()), Errc::schema_violation, "blob x: expected an object, got array");
    }

    TEST_CASE("oci sniff: schema 1 is refused") {
        check_error(sniff(Json{{"schemaVersion", 1}, {"fsLayers", Json::array()}}), Errc::schema1_unsupported,
                    "schema 1 manifests are refused");
    }

    TEST_CASE("oci sniff: a mediaType of the wrong type is refused") {
        check_error(sniff(Json{{"mediaType", 5}}), Errc::schema_violation,
                    "blob x: mediaType: expected a string, got 5");
    }
}
