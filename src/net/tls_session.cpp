// mbedTLS TLS sessions over memory buffers: the only TLS calls in edgeverify (with tls_config.cpp).
#include "tls_session.hpp"

#include <mbedtls/error.h>
#include <mbedtls/sha256.h>
#include <mbedtls/ssl.h>

#include <cstdio>
#include <cstring>
#include <utility>

#include "tls_state.hpp"

namespace edgeverify::net {

struct TlsSession::State {
    std::shared_ptr<TlsConfig> config;
    mbedtls_ssl_context ssl;
    std::string hostname;
    std::string incoming;
    std::size_t incoming_pos = 0;
    std::string outgoing;
    bool handshake_done = false;
    bool peer_closed = false;

    State() { mbedtls_ssl_init(&ssl); }
    ~State() { mbedtls_ssl_free(&ssl); }
};

namespace {

int bio_send(void* context, const unsigned char* data, std::size_t length) {
    static_cast<TlsSession::State*>(context)->outgoing.append(reinterpret_cast<const char*>(data), length);
    return static_cast<int>(length);
}

int bio_recv(void* context, unsigned char* data, std::size_t length) {
    auto* state = static_cast<TlsSession::State*>(context);
    const std::size_t available = state->incoming.size() - state->incoming_pos;
    if (available == 0) return MBEDTLS_ERR_SSL_WANT_READ;
    const std::size_t n = std::min(length, available);
    std::memcpy(data, state->incoming.data() + state->incoming_pos, n);
    state->incoming_pos += n;
    if (state->incoming_pos == state->incoming.size()) {
        state->incoming.clear();
        state->incoming_pos = 0;
    }
    return static_cast<int>(n);
}

bool would_block(int ret) { return ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE; }

std::string handshake_reason(const TlsSession::State& state, int ret) {
    const bool client = state.config->state().is_client;
    if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
        const uint32_t flags = mbedtls_ssl_get_verify_result(&state.ssl);
        char info[512] = {0};
        mbedtls_x509_crt_verify_info(info, sizeof info, "", flags);
        std::string detail(info);
        while (!detail.empty() && detail.back() == '\n') detail.pop_back();
        for (char& c : detail)
            if (c == '\n') c = ';';
        const std::string who = client ? "server" : "client";
        if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH)
            return "hostname mismatch: the server certificate does not name '" + state.hostname + "' (" + detail + ")";
        if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
            return who + " certificate not trusted: it does not chain to a CA in '" +
                   state.config->state().ca_file + "' (" + detail + ")";
        return who + " certificate refused (" + detail + ")";
    }
    if (ret == MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE) return "client certificate required but none was presented";
    if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE)
        return client ? "the server refused the handshake with a fatal alert (a client certificate may be "
                        "required or was refused)"
                      : "the client refused the handshake with a fatal alert (it does not trust this server)";
    return tls_error_text(ret);
}

}  // namespace

std::string tls_error_text(int ret) {
    char text[256] = {0};
    mbedtls_strerror(ret, text, sizeof text);
    return std::string(text) + " (mbedTLS -0x" + [ret] {
        char hex[16];
        std::snprintf(hex, sizeof hex, "%04x", static_cast<unsigned>(-ret));
        return std::string(hex);
    }() + ")";
}

TlsSession::TlsSession() : state_(std::make_unique<State>()) {}
TlsSession::~TlsSession() = default;

Expected<std::unique_ptr<TlsSession>> TlsSession::create(std::shared_ptr<TlsConfig> config,
                                                         const std::string& hostname) {
    std::unique_ptr<TlsSession> session(new TlsSession());
    State& state = *session->state_;
    state.config = std::move(config);
    state.hostname = hostname;
    int ret = mbedtls_ssl_setup(&state.ssl, &state.config->state().conf);
    if (ret == 0 && state.config->state().is_client)
        ret = mbedtls_ssl_set_hostname(&state.ssl, hostname.c_str());
    if (ret != 0) return make_error(Errc::internal, "TLS session setup failed: " + tls_error_text(ret));
    mbedtls_ssl_set_bio(&state.ssl, &state, bio_send, bio_recv, nullptr);
    return session;
}

void TlsSession::receive(std::string_view ciphertext) { state_->incoming.append(ciphertext); }

std::string TlsSession::take_outgoing() { return std::exchange(state_->outgoing, {}); }

Expected<bool> TlsSession::handshake() {
    if (state_->handshake_done) return true;
    const int ret = mbedtls_ssl_handshake(&state_->ssl);
    if (ret == 0) {
        state_->handshake_done = true;
        return true;
    }
    if (would_block(ret)) return false;
    return make_error(Errc::permission_denied, "TLS handshake failed: " + handshake_reason(*state_, ret));
}

bool TlsSession::handshake_done() const { return state_->handshake_done; }
bool TlsSession::peer_closed() const { return state_->peer_closed; }

Status TlsSession::read(std::string& out) {
    unsigned char buffer[16 * 1024];
    while (!state_->peer_closed) {
        const int ret = mbedtls_ssl_read(&state_->ssl, buffer, sizeof buffer);
        if (ret > 0) {
            out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(ret));
            continue;
        }
        if (would_block(ret)) return {};
        if (ret == 0 || ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
            state_->peer_closed = true;
            return {};
        }
        return make_error(Errc::io_error, "TLS read failed: " + tls_error_text(ret));
    }
    return {};
}

Status TlsSession::write(std::string_view plaintext) {
    while (!plaintext.empty()) {
        const int ret = mbedtls_ssl_write(&state_->ssl, reinterpret_cast<const unsigned char*>(plaintext.data()),
                                          plaintext.size());
        if (ret < 0) return make_error(Errc::io_error, "TLS write failed: " + tls_error_text(ret));
        plaintext.remove_prefix(static_cast<std::size_t>(ret));
    }
    return {};
}

void TlsSession::close_notify() { (void)mbedtls_ssl_close_notify(&state_->ssl); }

TlsPeer TlsSession::peer() const {
    TlsPeer peer;
    const mbedtls_x509_crt* cert = mbedtls_ssl_get_peer_cert(&state_->ssl);
    if (cert == nullptr) return peer;
    char subject[512] = {0};
    if (mbedtls_x509_dn_gets(subject, sizeof subject, &cert->subject) > 0) peer.subject = subject;
    unsigned char digest[32];
#if MBEDTLS_VERSION_MAJOR >= 3
    mbedtls_sha256(cert->raw.p, cert->raw.len, digest, 0);
#else
    mbedtls_sha256_ret(cert->raw.p, cert->raw.len, digest, 0);
#endif
    static const char* hex = "0123456789abcdef";
    for (unsigned char byte : digest) {
        peer.sha256_fingerprint += hex[byte >> 4];
        peer.sha256_fingerprint += hex[byte & 15];
    }
    return peer;
}

}  // namespace edgeverify::net
