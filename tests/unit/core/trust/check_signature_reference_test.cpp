// docker-reference against the image reference: repository match by default (cosign writes the
// repository only), and referenceMatch "exact" (containers' matchExact): same tag or digest.
#include "check_fixture.hpp"

using namespace edgeverify;
using namespace edgeverify::test;

namespace {

SignatureCheck check_as(Fixture& f, const std::string& image_reference, const std::string& signed_reference) {
    f.reference = parse_image_reference(image_reference).value();
    return f.check(cosign_candidate(f.a, f.payload(f.image.manifest_digest, signed_reference)));
}

}  // namespace

TEST_SUITE("trust") {
    TEST_CASE("repository match accepts cosign's repository-only reference and another tag") {
        Fixture f;
        CHECK(check_as(f, kReference, "registry.example.com/fleet/app").accepted);
        CHECK(check_as(f, kReference, "registry.example.com/fleet/app:2.0").accepted);
        const SignatureCheck check = check_as(f, kReference, "registry.example.com/fleet/other");
        CHECK(check.reason ==
              "signed for repository registry.example.com/fleet/other, the image is "
              "registry.example.com/fleet/app");
    }

    TEST_CASE("exact match accepts the same tag and the same digest") {
        Fixture f;
        f.scope().reference_match = ReferenceMatch::exact;
        SignatureCheck check = check_as(f, kReference, kReference);
        CAPTURE(check.reason);
        CHECK(check.accepted);
        const std::string by_digest = "registry.example.com/fleet/app@" + f.image.manifest_digest.str();
        check = check_as(f, by_digest, by_digest);
        CHECK(check.accepted);
    }

    TEST_CASE("exact match refuses another tag") {
        Fixture f;
        f.scope().reference_match = ReferenceMatch::exact;
        const SignatureCheck check = check_as(f, kReference, "registry.example.com/fleet/app:2.0");
        CHECK(check.reason ==
              "signed for registry.example.com/fleet/app:2.0, the image is "
              "registry.example.com/fleet/app:1.0 (scope fleet sets referenceMatch \"exact\")");
    }

    TEST_CASE("exact match refuses a repository-only reference") {
        Fixture f;
        f.scope().reference_match = ReferenceMatch::exact;
        const SignatureCheck check = check_as(f, kReference, "registry.example.com/fleet/app");
        CHECK(check.reason ==
              "signed for repository registry.example.com/fleet/app only, without a tag or digest; "
              "the image is registry.example.com/fleet/app:1.0 (scope fleet sets referenceMatch "
              "\"exact\")");
    }

    TEST_CASE("exact match refuses a tag against a digest reference and a digest against a tag") {
        Fixture f;
        f.scope().reference_match = ReferenceMatch::exact;
        const std::string by_digest = "registry.example.com/fleet/app@" + f.image.manifest_digest.str();
        SignatureCheck check = check_as(f, by_digest, kReference);
        CHECK(check.reason ==
              "signed for registry.example.com/fleet/app:1.0 (a tag), the image reference " + by_digest +
                  " names a digest: an exact match needs the same tag or digest (scope fleet sets "
                  "referenceMatch \"exact\")");
        check = check_as(f, kReference, by_digest);
        CHECK(check.reason ==
              "signed for " + by_digest +
                  " (a digest), the image reference registry.example.com/fleet/app:1.0 names a tag: "
                  "an exact match needs the same tag or digest (scope fleet sets referenceMatch "
                  "\"exact\")");
    }
}
