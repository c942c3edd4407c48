// DSSE v1 pre-authentication encoding (FORMATS.md B.2; protos/envelope.proto): the exact bytes a
// DSSE signature covers, binding the payload type so a payload cannot be reinterpreted.
#include "edgeverify/sigstore_bundle.hpp"

namespace edgeverify {

std::string dsse_pae(std::string_view payload_type, std::string_view payload) {
    std::string out = "DSSEv1 ";
    out += std::to_string(payload_type.size());
    out += ' ';
    out += payload_type;
    out += ' ';
    out += std::to_string(payload.size());
    out += ' ';
    out += payload;
    return out;
}

}  // namespace edgeverify
