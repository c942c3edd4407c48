// Ed25519 verification through nettle's hogweed: pure Ed25519 over the message (RFC 8032).
#ifdef EDGEVERIFY_HAVE_HOGWEED
#include <nettle/eddsa.h>
#endif

#include "crypto/key_impl.hpp"

namespace edgeverify::crypto {

#ifdef EDGEVERIFY_HAVE_HOGWEED
bool ed25519_supported() {
    return true;
}

bool ed25519_verify(const std::array<std::uint8_t, 32>& public_key, std::string_view message,
                    std::string_view signature) {
    if (signature.size() != ED25519_SIGNATURE_SIZE) return false;
    return ed25519_sha512_verify(public_key.data(), message.size(),
                                 reinterpret_cast<const std::uint8_t*>(message.data()),
                                 reinterpret_cast<const std::uint8_t*>(signature.data())) == 1;
}
#else
bool ed25519_supported() {
    return false;
}

bool ed25519_verify(const std::array<std::uint8_t, 32>&, std::string_view, std::string_view) {
    return false;
}
#endif

}  // namespace edgeverify::crypto
