// mbedTLS objects behind TlsConfig, shared by tls_config.cpp and tls_session.cpp only.
#pragma once

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include <string>

#include "tls_session.hpp"

namespace edgeverify::net {

struct TlsConfig::State {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_ssl_config conf;
    mbedtls_x509_crt ca;
    mbedtls_x509_crt own_cert;
    mbedtls_pk_context own_key;
    std::string ca_file;  // named in "not trusted" errors
    bool is_client = true;

    State();
    ~State();
};

// mbedtls_strerror text with the code in hex.
std::string tls_error_text(int ret);

}  // namespace edgeverify::net
