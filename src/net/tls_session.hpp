// TLS over memory buffers (mbedTLS 2.28): the caller moves ciphertext between the session and a
// socket; the session never touches a file descriptor. Client and server mode, TLS 1.2 minimum.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "edgeverify/error.hpp"

namespace edgeverify::net {

// Credentials and settings shared by every session of one side (one entropy source and DRBG,
// seeded once). Used from one loop thread only.
class TlsConfig {
public:
    // ca_file: the CAs the server must chain to (required). cert/key: optional client certificate.
    static Expected<std::shared_ptr<TlsConfig>> client(const std::string& ca_file, const std::string& cert_file,
                                                       const std::string& key_file);
    // cert/key: the server's certificate chain and key (required). client_ca_file: when set,
    // every client must present a certificate that chains to it.
    static Expected<std::shared_ptr<TlsConfig>> server(const std::string& cert_file, const std::string& key_file,
                                                        const std::string& client_ca_file);
    ~TlsConfig();
    TlsConfig(const TlsConfig&) = delete;
    TlsConfig& operator=(const TlsConfig&) = delete;

    struct State;
    State& state() { return *state_; }

private:
    TlsConfig();
    std::unique_ptr<State> state_;
};

// The verified certificate the peer presented (empty strings when it presented none).
struct TlsPeer {
    std::string subject;             // RFC 4514-ish text from mbedtls_x509_dn_gets
    std::string sha256_fingerprint;  // lowercase hex of sha256(certificate DER)
};

class TlsSession {
public:
    // hostname: the name the server certificate must carry (client mode; a DNS name — mbedTLS 2.28
    // does not match IP-address SANs). Empty in server mode.
    static Expected<std::unique_ptr<TlsSession>> create(std::shared_ptr<TlsConfig> config,
                                                        const std::string& hostname);
    ~TlsSession();
    TlsSession(const TlsSession&) = delete;
    TlsSession& operator=(const TlsSession&) = delete;

    void receive(std::string_view ciphertext);  // bytes read from the socket
    std::string take_outgoing();                // bytes to write to the socket

    // Advances the handshake: true once it is done; permission_denied naming the reason.
    Expected<bool> handshake();
    bool handshake_done() const;
    // Appends the plaintext decrypted so far to `out`; io_error on a broken record stream.
    Status read(std::string& out);
    bool peer_closed() const;  // close_notify received
    Status write(std::string_view plaintext);
    void close_notify();
    TlsPeer peer() const;

    struct State;  // defined in tls_session.cpp (its memory BIO callbacks need it)

private:
    TlsSession();
    std::unique_ptr<State> state_;
};

}  // namespace edgeverify::net
