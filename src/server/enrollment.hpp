// Device enrollment (docs/server-api.md "POST /api/v1/enroll" and "POST /api/v1/devices", the
// `device add` command): a NewDevice from a public key PEM or from the enrollment envelope of
// `edgeverify device show --json`, with the id and fingerprint derived from the key exactly as
// the device derives them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/error.hpp"
#include "edgeverify/json.hpp"
#include "server/storage.hpp"

namespace edgeverify::server {

// key_malformed / unsupported_key for a PEM that is not a usable public key.
Expected<NewDevice> new_device_from_public_key(std::string_view pem, std::vector<DeviceLabel> labels);

// The envelope (JSON text) must verify with the public key its statement carries (else
// signature_invalid), be an enrollment statement (kDeviceEnrollmentPredicate) and name the id
// and fingerprint of that key (else schema_violation naming the field).
Expected<NewDevice> new_device_from_enrollment(std::string_view envelope, std::vector<DeviceLabel> labels);

// {"name": "value", ...} -> labels; anything else -> schema_violation naming `where`.
Expected<std::vector<DeviceLabel>> labels_from_json(const Json& labels, std::string_view where);

// A request body {"enrollment": <envelope>, "labels"?: {...}} or, when `allow_public_key`,
// {"publicKey": "<PEM>", "labels"?: {...}}. Errors as above; a malformed body is schema_violation.
Expected<NewDevice> new_device_from_request(std::string_view body, bool allow_public_key);

}  // namespace edgeverify::server
