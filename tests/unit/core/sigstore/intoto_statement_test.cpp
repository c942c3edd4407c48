// in-toto statements as DSSE payloads: sha256 subject digests (v0.1 and v1) and the statement
// cosign v3 signs for an image (FORMATS.md A.9).
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/sigstore_bundle.hpp"
#include "unit/core/sigstore/bundle_test_support.hpp"

using namespace edgeverify;
using sigstore_test::check_error;

namespace {
const std::string kHex = "732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4";
const std::string kOtherHex = "634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00";

std::string statement(const std::string& type, const std::string& subjects) {
    return R"({"_type":")" + type + R"(","predicateType":"https://example.com/p","subject":)" + subjects +
           R"(,"predicate":{}})";
}
}  // namespace

TEST_SUITE("sigstore") {
    TEST_CASE("intoto: v1 statement subjects give their sha256 digests") {
        auto digests = intoto_subject_digests(
            statement("https://in-toto.io/Statement/v1",
                      R"([{"name":"a","digest":{"sha256":")" + kHex + R"("}},{"digest":{"sha256":")" +
                          kOtherHex + R"(","sha512":"abc"},"annotations":{"x":"y"}}])"),
            "statement");
        REQUIRE(digests);
        REQUIRE(digests->size() == 2);
        CHECK((*digests)[0].str() == "sha256:" + kHex);
        CHECK((*digests)[1].str() == "sha256:" + kOtherHex);
    }

    TEST_CASE("intoto: v0.1 statements are read too") {
        auto digests =
            intoto_subject_digests(statement("https://in-toto.io/Statement/v0.1",
                                             R"([{"name":"r","digest":{"sha256":")" + kHex + R"("}}])"),
                                   "statement");
        REQUIRE(digests);
        REQUIRE(digests->size() == 1);
        CHECK((*digests)[0].hex() == kHex);
    }

    TEST_CASE("intoto: subjects without sha256 give no digests") {
        auto digests = intoto_subject_digests(statement("https://in-toto.io/Statement/v1",
                                                        R"([{"digest":{"sha512":"abcd","gitCommit":"01"}}])"),
                                              "statement");
        REQUIRE(digests);
        CHECK(digests->empty());
    }

    TEST_CASE("intoto: a sha256 value that is not 64 lowercase hex is refused") {
        std::string upper = kHex;
        upper[0] = 'A';
        for (const std::string& bad : {upper, kHex.substr(1), kHex + "0", std::string("")}) {
            CAPTURE(bad);
            check_error(intoto_subject_digests(statement("https://in-toto.io/Statement/v1",
                                                         R"([{"digest":{"sha256":")" + bad + R"("}}])"),
                                               "statement"),
                        Errc::schema_violation, "statement: subject[0].digest.sha256: ");
        }
    }

    TEST_CASE("intoto: statement refusals name the path") {
        const std::string v1 = "https://in-toto.io/Statement/v1";
        const std::string good = R"([{"digest":{"sha256":")" + kHex + R"("}}])";
        check_error(intoto_subject_digests(statement("https://in-toto.io/Statement/v2", good), "s"),
                    Errc::schema_violation, "s: _type: unsupported statement type");
        check_error(intoto_subject_digests(statement(v1, "[]"), "s"), Errc::schema_violation,
                    "s: subject: must be a non-empty array");
        check_error(intoto_subject_digests(statement(v1, "{}"), "s"), Errc::schema_violation,
                    "s: subject: expected an array");
        check_error(intoto_subject_digests(statement(v1, R"([{"name":"x"}])"), "s"), Errc::schema_violation,
                    "s: subject[0].digest: expected a non-empty object");
        check_error(intoto_subject_digests(statement(v1, R"([{"digest":{"sha256":5}}])"), "s"),
                    Errc::schema_violation, "s: subject[0].digest.sha256: expected a string");
        check_error(intoto_subject_digests(R"({"_type":")" + v1 + R"(","subject":)" + good + "}", "s"),
                    Errc::schema_violation, "s: predicateType: required member is missing");
        check_error(intoto_subject_digests(R"({"subject":)" + good + R"(,"predicateType":"p"})", "s"),
                    Errc::schema_violation, "s: _type: required member is missing");
        check_error(intoto_subject_digests("[]", "s"), Errc::schema_violation, "s: expected an object");
        check_error(intoto_subject_digests(R"({"_type":"a","_type":"b"})", "s"), Errc::json_duplicate_key,
                    "");
        check_error(intoto_subject_digests("{", "s"), Errc::json_malformed, "");
    }

    TEST_CASE("intoto: cosign's sign statement has the exact members and order") {
        auto digest = Digest::parse("sha256:" + kHex);
        REQUIRE(digest);
        const std::string text = make_cosign_sign_statement("registry.example/app", *digest);
        CHECK(text ==
              R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"registry.example/app",)"
              R"("digest":{"sha256":")" +
                  kHex + R"("}}],"predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}})");
        auto digests = intoto_subject_digests(text, "statement");
        REQUIRE(digests);
        REQUIRE(digests->size() == 1);
        CHECK((*digests)[0] == *digest);
    }

    TEST_CASE("intoto: cosign's sign statement escapes the subject name") {
        auto digest = Digest::parse("sha256:" + kHex);
        REQUIRE(digest);
        const std::string text = make_cosign_sign_statement("a\"b\\c", *digest);
        CHECK(text.find(R"("name":"a\"b\\c")") != std::string::npos);
        CHECK(intoto_subject_digests(text, "statement"));
    }
}
