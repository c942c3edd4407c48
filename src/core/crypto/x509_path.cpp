// Sigstore certificate path validation (FORMATS.md B.4 step 4): a Fulcio leaf up to a
// trusted_root.json chain, every window checked at the verified time, never the wall clock.
#include <string>

#include "edgeverify/x509.hpp"

namespace edgeverify {
namespace {

std::optional<Error> outside_window(const Certificate& cert, const std::string& which, std::int64_t time) {
    if (time >= cert.not_before && time <= cert.not_after) return std::nullopt;
    return make_error(Errc::untrusted, which + " is not valid at " + std::to_string(time) + " (valid " +
                                           std::to_string(cert.not_before) + ".." + std::to_string(cert.not_after) +
                                           ")");
}

std::string name_of(std::size_t index) {
    return index == 0 ? std::string("the signing certificate") : "CA certificate " + std::to_string(index - 1);
}

}  // namespace

Status verify_path_at(const Certificate& leaf, const std::vector<Certificate>& chain, std::int64_t time) {
    if (chain.empty()) return make_error(Errc::untrusted, "certificate path has no issuer");
    if (auto e = outside_window(leaf, name_of(0), time)) return *e;
    const Certificate* child = &leaf;
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const std::string which = name_of(i + 1);
        if (auto e = outside_window(chain[i], which, time)) return *e;
        if (!chain[i].is_ca) return make_error(Errc::untrusted, which + " is not a CA");
        if (chain[i].has_key_usage && (chain[i].key_usage & key_usage::key_cert_sign) == 0) {
            return make_error(Errc::untrusted, which + " has a keyUsage without keyCertSign");
        }
        // chain[0..i-1] are the CA certificates below chain[i] (RFC 5280 pathLenConstraint).
        if (chain[i].max_path_length >= 0 && static_cast<int>(i) > chain[i].max_path_length) {
            return make_error(Errc::untrusted, which + " allows " + std::to_string(chain[i].max_path_length) +
                                                   " CA certificates below it, the path has " + std::to_string(i));
        }
        if (child->issuer_der != chain[i].subject_der) {
            return make_error(Errc::signature_invalid, name_of(i) + " is not issued by " + which +
                                                           ": its issuer name is not that certificate's subject");
        }
        if (auto linked = verify_certificate_signature(*child, chain[i]); !linked) {
            return make_error(linked.error().code,
                              name_of(i) + " is not issued by " + which + ": " + linked.error().message);
        }
        child = &chain[i];
    }
    return {};
}

}  // namespace edgeverify
