// TlsConfig: loads CA, certificate and key files and sets the TLS policy (TLS 1.2 minimum,
// mbedTLS default suites, peer verification required) for every session of one side.
#include <mbedtls/version.h>

#include <cstring>
#include <filesystem>

#include "tls_state.hpp"

namespace edgeverify::net {

TlsConfig::State::State() {
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_ssl_config_init(&conf);
    mbedtls_x509_crt_init(&ca);
    mbedtls_x509_crt_init(&own_cert);
    mbedtls_pk_init(&own_key);
}

TlsConfig::State::~State() {
    mbedtls_pk_free(&own_key);
    mbedtls_x509_crt_free(&own_cert);
    mbedtls_x509_crt_free(&ca);
    mbedtls_ssl_config_free(&conf);
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
}

TlsConfig::TlsConfig() : state_(std::make_unique<State>()) {}
TlsConfig::~TlsConfig() = default;

namespace {

Status file_readable(const std::string& what, const std::string& path) {
    std::error_code ec;
    if (path.empty()) return make_error(Errc::config, what + ": no file given");
    if (!std::filesystem::is_regular_file(path, ec))
        return make_error(Errc::config, what + " '" + path + "' is not a readable regular file");
    return {};
}

Status load_certificates(mbedtls_x509_crt& chain, const std::string& what, const std::string& path) {
    if (auto ok = file_readable(what, path); !ok) return ok;
    const int ret = mbedtls_x509_crt_parse_file(&chain, path.c_str());
    if (ret < 0) return make_error(Errc::config, what + " '" + path + "': " + tls_error_text(ret));
    if (ret > 0)
        return make_error(Errc::config,
                          what + " '" + path + "': " + std::to_string(ret) + " certificate(s) could not be parsed");
    return {};
}

Status load_key_pair(TlsConfig::State& state, const std::string& cert_file, const std::string& key_file) {
    if (cert_file.empty() != key_file.empty())
        return make_error(Errc::config, "a certificate needs its key and a key its certificate (certificate '" +
                                            cert_file + "', key '" + key_file + "')");
    if (auto ok = load_certificates(state.own_cert, "certificate file", cert_file); !ok) return ok;
    if (auto ok = file_readable("key file", key_file); !ok) return ok;
#if MBEDTLS_VERSION_MAJOR >= 3
    int ret = mbedtls_pk_parse_keyfile(&state.own_key, key_file.c_str(), nullptr, mbedtls_ctr_drbg_random,
                                       &state.drbg);
#else
    int ret = mbedtls_pk_parse_keyfile(&state.own_key, key_file.c_str(), nullptr);
#endif
    if (ret != 0) return make_error(Errc::config, "key file '" + key_file + "': " + tls_error_text(ret));
#if MBEDTLS_VERSION_MAJOR >= 3
    ret = mbedtls_pk_check_pair(&state.own_cert.pk, &state.own_key, mbedtls_ctr_drbg_random, &state.drbg);
#else
    ret = mbedtls_pk_check_pair(&state.own_cert.pk, &state.own_key);
#endif
    if (ret != 0)
        return make_error(Errc::config, "key file '" + key_file + "' does not match certificate '" + cert_file + "'");
    ret = mbedtls_ssl_conf_own_cert(&state.conf, &state.own_cert, &state.own_key);
    if (ret != 0) return make_error(Errc::internal, "TLS own certificate: " + tls_error_text(ret));
    return {};
}

Status set_defaults(TlsConfig::State& state, int endpoint) {
    static const char personalization[] = "edgeverify-net";
    int ret = mbedtls_ctr_drbg_seed(&state.drbg, mbedtls_entropy_func, &state.entropy,
                                    reinterpret_cast<const unsigned char*>(personalization),
                                    std::strlen(personalization));
    if (ret != 0) return make_error(Errc::internal, "TLS random generator seeding failed: " + tls_error_text(ret));
    ret = mbedtls_ssl_config_defaults(&state.conf, endpoint, MBEDTLS_SSL_TRANSPORT_STREAM,
                                      MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) return make_error(Errc::internal, "TLS configuration failed: " + tls_error_text(ret));
#if MBEDTLS_VERSION_MAJOR >= 3
    mbedtls_ssl_conf_min_tls_version(&state.conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
    mbedtls_ssl_conf_min_version(&state.conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
    mbedtls_ssl_conf_rng(&state.conf, mbedtls_ctr_drbg_random, &state.drbg);
    state.is_client = endpoint == MBEDTLS_SSL_IS_CLIENT;
    return {};
}

}  // namespace

Expected<std::shared_ptr<TlsConfig>> TlsConfig::client(const std::string& ca_file, const std::string& cert_file,
                                                       const std::string& key_file) {
    std::shared_ptr<TlsConfig> config(new TlsConfig());
    State& state = *config->state_;
    if (auto ok = set_defaults(state, MBEDTLS_SSL_IS_CLIENT); !ok) return ok.take_error();
    if (auto ok = load_certificates(state.ca, "CA file", ca_file); !ok) return ok.take_error();
    state.ca_file = ca_file;
    mbedtls_ssl_conf_ca_chain(&state.conf, &state.ca, nullptr);
    mbedtls_ssl_conf_authmode(&state.conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    if (!cert_file.empty() || !key_file.empty())
        if (auto ok = load_key_pair(state, cert_file, key_file); !ok) return ok.take_error();
    return config;
}

Expected<std::shared_ptr<TlsConfig>> TlsConfig::server(const std::string& cert_file, const std::string& key_file,
                                                       const std::string& client_ca_file) {
    std::shared_ptr<TlsConfig> config(new TlsConfig());
    State& state = *config->state_;
    if (auto ok = set_defaults(state, MBEDTLS_SSL_IS_SERVER); !ok) return ok.take_error();
    if (auto ok = load_key_pair(state, cert_file, key_file); !ok) return ok.take_error();
    if (client_ca_file.empty()) {
        mbedtls_ssl_conf_authmode(&state.conf, MBEDTLS_SSL_VERIFY_NONE);
        return config;
    }
    if (auto ok = load_certificates(state.ca, "client CA file", client_ca_file); !ok) return ok.take_error();
    state.ca_file = client_ca_file;
    mbedtls_ssl_conf_ca_chain(&state.conf, &state.ca, nullptr);
    mbedtls_ssl_conf_authmode(&state.conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    return config;
}

}  // namespace edgeverify::net
