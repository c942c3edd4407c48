// Strict JSON: limits, duplicate keys, and errors that name the document.
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/json.hpp"

using namespace edgeverify;

namespace {
void check_error(const Expected<Json>& result, Errc code, const std::string& part) {
    REQUIRE_FALSE(result);
    CHECK(result.error().code == code);
    CAPTURE(result.error().message);
    CHECK(result.error().message.find(part) != std::string::npos);
}
}  // namespace

TEST_SUITE("json") {
    TEST_CASE("well-formed JSON parses") {
        auto j = parse_json_strict(R"({"a":[1,2,{"b":null}],"c":"d"})", "doc");
        REQUIRE(j);
        CHECK((*j)["c"] == "d");
    }

    TEST_CASE("every value keeps its place: arrays in order, objects by key, number kinds") {
        auto j = parse_json_strict(R"({"a":[1,-2,3.5,"x",true,false,null,[],{}],"b":{"c":{"d":[{"e":1}]}},"u":18446744073709551615})", "doc");
        REQUIRE(j);
        CHECK(j->dump() == R"({"a":[1,-2,3.5,"x",true,false,null,[],{}],"b":{"c":{"d":[{"e":1}]}},"u":18446744073709551615})");
        CHECK((*j)["u"].is_number_unsigned());
        CHECK((*j)["a"][1].is_number_integer());
        CHECK(*parse_json_strict("\"top\"", "doc") == "top");
        CHECK(*parse_json_strict("7", "doc") == 7);
    }

    TEST_CASE("a long array of objects is read whole (a large vulnerability feed)") {
        std::string text = "[";
        for (int i = 0; i < 100000; ++i) text += (i ? ",{\"id\":" : "{\"id\":") + std::to_string(i) + ",\"k\":\"v\"}";
        text += "]";
        auto j = parse_json_strict(text, "feed");
        REQUIRE(j);
        REQUIRE(j->size() == 100000);
        CHECK((*j)[0]["id"] == 0);
        CHECK((*j)[99999]["id"] == 99999);
        check_error(parse_json_strict(text.substr(0, text.size() - 1) + ",{\"id\":1,\"id\":2}]", "feed"),
                    Errc::json_duplicate_key, "feed: duplicate key \"id\" in an object");
    }

    TEST_CASE("a duplicate key is refused and named") {
        check_error(parse_json_strict(R"({"a":1,"a":2})", "manifest X"), Errc::json_duplicate_key,
                    "manifest X: duplicate key \"a\"");
    }

    TEST_CASE("the same key in sibling objects is fine") {
        CHECK(parse_json_strict(R"([{"a":1},{"a":2}])", "doc"));
        CHECK(parse_json_strict(R"({"a":{"a":{"a":1}}})", "doc"));
    }

    TEST_CASE("a duplicate key in a nested object is refused") {
        check_error(parse_json_strict(R"({"x":{"k":1,"k":1}})", "doc"), Errc::json_duplicate_key, "\"k\"");
    }

    TEST_CASE("a document over the size limit is refused before parsing") {
        JsonLimits limits;
        limits.max_bytes = 10;
        check_error(parse_json_strict(R"({"aaaaaaaaaa":1})", "index.json", limits), Errc::json_too_large,
                    "index.json: JSON document of 16 bytes exceeds kMaxJsonDocumentBytes (10)");
    }

    TEST_CASE("nesting beyond the depth limit is refused") {
        const std::string deep =
            std::string(limits::kMaxJsonDepth + 1, '[') + std::string(limits::kMaxJsonDepth + 1, ']');
        check_error(parse_json_strict(deep, "doc"), Errc::json_too_deep, "kMaxJsonDepth (64)");
        const std::string ok =
            std::string(limits::kMaxJsonDepth, '[') + std::string(limits::kMaxJsonDepth, ']');
        CHECK(parse_json_strict(ok, "doc"));
    }

    TEST_CASE("a very deep document fails fast without exhausting the stack") {
        const std::string deep(1000000, '[');
        check_error(parse_json_strict(deep, "doc"), Errc::json_too_deep, "kMaxJsonDepth");
    }

    TEST_CASE("malformed input is refused with the document name") {
        for (const std::string& text : std::initializer_list<std::string>{
                 "", "{", "nope", "{\"a\":1} trailing", "{'a':1}", "{\"a\":1,}", "/* c */ {}",
                 std::string("\x89PNG\r\n\x1a\n", 8)}) {
            CAPTURE(text);
            check_error(parse_json_strict(text, "config sha256:1"), Errc::json_malformed,
                        "config sha256:1: not valid JSON");
        }
    }
}
