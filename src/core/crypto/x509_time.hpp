// Private: mbedTLS X.509 times as unix seconds, for x509_certificate.cpp (validity) and
// x509_crl.cpp (thisUpdate, nextUpdate).
#pragma once

#include <mbedtls/x509.h>

#include <cstdint>

namespace edgeverify::crypto {

// Unix seconds of a certificate or CRL time, in 64-bit arithmetic (edgeverify/civil_time.hpp).
std::int64_t x509_time_seconds(const mbedtls_x509_time& time);

}  // namespace edgeverify::crypto
