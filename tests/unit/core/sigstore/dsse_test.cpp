// DSSE v1 pre-authentication encoding (FORMATS.md B.2).
#include <doctest/doctest.h>

#include "edgeverify/sigstore_bundle.hpp"

using namespace edgeverify;

TEST_SUITE("sigstore") {
    TEST_CASE("dsse: PAE of the DSSE specification's example") {
        CHECK(dsse_pae("http://example.com/HelloWorld", "hello world") ==
              "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    TEST_CASE("dsse: PAE of empty type and payload keeps every separator") {
        CHECK(dsse_pae("", "") == "DSSEv1 0  0 ");
    }

    TEST_CASE("dsse: PAE lengths count bytes, payload bytes are kept verbatim") {
        const std::string payload("a\0b", 3);
        CHECK(dsse_pae("t", payload) == std::string("DSSEv1 1 t 3 a\0b", 16));
    }
}
