// Image references: Docker's short-name normalization, and the references it refuses.
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/trust_policy.hpp"

using namespace edgeverify;

namespace {
const std::string kHex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
}  // namespace

TEST_SUITE("trust") {
    TEST_CASE("references normalize like Docker's short names") {
        struct Case {
            std::string input, registry, repository, tag, name, str;
        };
        const Case cases[] = {
            {"alpine", "docker.io", "library/alpine", "latest", "docker.io/library/alpine",
             "docker.io/library/alpine:latest"},
            {"library/alpine", "docker.io", "library/alpine", "latest", "docker.io/library/alpine",
             "docker.io/library/alpine:latest"},
            {"docker.io/alpine:3", "docker.io", "library/alpine", "3", "docker.io/library/alpine",
             "docker.io/library/alpine:3"},
            {"index.docker.io/acme/app", "docker.io", "acme/app", "latest", "docker.io/acme/app",
             "docker.io/acme/app:latest"},
            {"acme/app:v1.2-rc_3", "docker.io", "acme/app", "v1.2-rc_3", "docker.io/acme/app",
             "docker.io/acme/app:v1.2-rc_3"},
            {"registry.example.com/fleet/app:1.0", "registry.example.com", "fleet/app", "1.0",
             "registry.example.com/fleet/app", "registry.example.com/fleet/app:1.0"},
            {"registry.example.com:5000/fleet/app", "registry.example.com:5000", "fleet/app", "latest",
             "registry.example.com:5000/fleet/app", "registry.example.com:5000/fleet/app:latest"},
            {"localhost/app", "localhost", "app", "latest", "localhost/app", "localhost/app:latest"},
            {"localhost:5000/a/b@sha256:" + kHex, "localhost:5000", "a/b", "", "localhost:5000/a/b",
             "localhost:5000/a/b@sha256:" + kHex},
            {"quay.io/a/b:1@sha256:" + kHex, "quay.io", "a/b", "1", "quay.io/a/b",
             "quay.io/a/b:1@sha256:" + kHex},
            {"a/b.c/d__e/f-g---h", "docker.io", "a/b.c/d__e/f-g---h", "latest",
             "docker.io/a/b.c/d__e/f-g---h", "docker.io/a/b.c/d__e/f-g---h:latest"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.input);
            auto ref = parse_image_reference(c.input);
            REQUIRE(ref);
            CHECK(ref->registry == c.registry);
            CHECK(ref->repository == c.repository);
            CHECK(ref->tag == c.tag);
            CHECK(ref->name() == c.name);
            CHECK(ref->str() == c.str);
        }
    }

    TEST_CASE("a digest reference keeps the digest and gets no default tag") {
        auto ref = parse_image_reference("alpine@sha256:" + kHex);
        REQUIRE(ref);
        REQUIRE(ref->digest);
        CHECK(ref->digest->hex() == kHex);
        CHECK(ref->tag.empty());
    }

    TEST_CASE("bad references are usage errors that name the reference and the reason") {
        struct Case {
            std::string input, reason;
        };
        const Case cases[] = {
            {"", "empty"},
            {"Alpine", "invalid repository component \"Alpine\""},
            {"registry.example.com/Fleet/app", "invalid repository component \"Fleet\""},
            {"a//b", "empty path component"},
            {"a/b/", "empty path component"},
            {"/a", "empty path component"},
            {"a--", "invalid repository component"},
            {"a..b", "invalid repository component"},
            {"a___b", "invalid repository component"},
            {"alpine@sha256:abc", "sha256 needs 64 hex characters"},
            {"alpine@md5:" + kHex, "unsupported algorithm"},
            {"alpine@sha256:" + std::string(64, 'A'), "digest"},
            {"alpine:" + std::string(129, 'a'), "invalid tag"},
            {"alpine:-x", "invalid tag"},
            {"alpine:", "invalid tag"},
            {"alpine:a/b", "invalid"},
            {"bad_host.example.com/a", "invalid registry"},
            {"host.example.com:port/a", "invalid registry"},
            {"registry.example.com/", "empty path component"},
            {std::string(256, 'a'), "longer than 255"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.input);
            auto ref = parse_image_reference(c.input);
            REQUIRE_FALSE(ref);
            CHECK(ref.error().code == Errc::usage);
            CAPTURE(ref.error().message);
            CHECK(ref.error().message.find("image reference \"" + c.input + "\"") != std::string::npos);
            CHECK(ref.error().message.find(c.reason) != std::string::npos);
        }
    }

    TEST_CASE("a tag of exactly 128 characters is accepted") {
        auto ref = parse_image_reference("alpine:" + std::string(128, 'a'));
        REQUIRE(ref);
        CHECK(ref->tag.size() == 128);
    }
}
