// Enrollment requests -> NewDevice (src/server/enrollment.*), with real device keys: the id and
// fingerprint are derived from the key as the device derives them, and the enrollment envelope
// must verify with the key it carries.
#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>

#include "edgeverify/report.hpp"
#include "server/enrollment.hpp"

using namespace edgeverify;
using namespace edgeverify::server;

namespace {

struct Devices {
    Devices() {
        char pattern[] = "/tmp/edgeverify-enroll-XXXXXX";
        REQUIRE(::mkdtemp(pattern) != nullptr);
        base = pattern;
        auto made_a = init_device_identity(StateDirectory{base + "/a"});
        auto made_b = init_device_identity(StateDirectory{base + "/b"});
        REQUIRE(made_a);
        REQUIRE(made_b);
        a = std::move(*made_a);
        b = std::move(*made_b);
    }
    ~Devices() {
        std::error_code ignored;
        std::filesystem::remove_all(base, ignored);
    }
    std::string base;
    DeviceIdentity a, b;
};

// An enrollment envelope whose statement describes `described`, signed by `signer`.
std::string enrollment(const DeviceIdentity& described, const DeviceIdentity& signer) {
    auto envelope = sign_dsse_envelope(signer, kInTotoPayloadType, make_enrollment_statement(described, "2026-11-28T00:00:00Z"));
    REQUIRE(envelope);
    return *envelope;
}

}  // namespace

TEST_CASE("enrollment: a public key gives the id and fingerprint the device computes") {
    Devices d;
    auto device = new_device_from_public_key(d.a.public_key_pem, {{"site", "plant-7"}});
    REQUIRE(device);
    CHECK(device->id == d.a.device_id);
    CHECK(device->fingerprint == d.a.fingerprint);
    CHECK(device->public_key_pem == d.a.public_key_pem);
    REQUIRE(device->labels.size() == 1);
    CHECK(device->labels[0].value == "plant-7");
    CHECK(new_device_from_public_key("not a key", {}).error().code == Errc::key_malformed);
}

TEST_CASE("enrollment: the device's own envelope enrolls it; another key's signature does not") {
    Devices d;
    auto device = new_device_from_enrollment(enrollment(d.a, d.a), {});
    REQUIRE_MESSAGE(device, (device ? "" : device.error().message));
    CHECK(device->id == d.a.device_id);
    auto forged = new_device_from_enrollment(enrollment(d.a, d.b), {});
    REQUIRE_FALSE(forged);
    CHECK(forged.error().code == Errc::signature_invalid);
    CHECK(forged.error().message == "enrollment: does not verify with the public key it carries");
}

TEST_CASE("enrollment: request bodies") {
    Devices d;
    const std::string envelope = enrollment(d.a, d.a);
    auto zero_touch = new_device_from_request(R"({"enrollment": )" + envelope + R"(, "labels": {"line": "3"}})", false);
    REQUIRE(zero_touch);
    CHECK(zero_touch->id == d.a.device_id);
    CHECK(zero_touch->labels[0].name == "line");
    Json with_key = {{"publicKey", d.b.public_key_pem}};
    auto by_operator = new_device_from_request(with_key.dump(), true);
    REQUIRE(by_operator);
    CHECK(by_operator->id == d.b.device_id);
    CHECK(new_device_from_request(with_key.dump(), false).error().message ==
          "request body: unknown member \"publicKey\"");
    CHECK(new_device_from_request("{}", false).error().message == "request body: enrollment is required");
    CHECK(new_device_from_request(R"({"enrollment": {}, "labels": {"a": 1}})", false).error().message ==
          "labels.a: must be a string");
    CHECK(new_device_from_request("[]", true).error().code == Errc::schema_violation);
}

TEST_CASE("enrollment: a statement naming another id than its key's is refused naming the field") {
    Devices d;
    auto liar = load_device_identity(StateDirectory{d.base + "/a"});
    REQUIRE(liar);
    liar->device_id = "ev-00000000000000000000";
    auto refused = new_device_from_enrollment(enrollment(*liar, *liar), {});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::schema_violation);
    CHECK(refused.error().message ==
          "enrollment statement: predicate.deviceId is not the id of its public key (" + d.a.device_id + ")");
}
