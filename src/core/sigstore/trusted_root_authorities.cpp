// certificateAuthorities and timestampAuthorities of a Sigstore trusted_root.json (FORMATS.md
// B.3): chains of DER certificates with validity windows, strictly read.
#include <string>

#include "edgeverify/certificate_authorities.hpp"
#include "edgeverify/json.hpp"
#include "sigstore/rfc3339.hpp"

namespace edgeverify {
namespace {

class Reader {
public:
    explicit Reader(std::string_view where) : where_(where) {}
    Error error(const std::string& path, const std::string& what) const {
        return make_error(Errc::config, where_ + ": " + path + ": " + what);
    }
    Status only(const Json& object, const std::string& path, std::initializer_list<std::string_view> known) const {
        if (!object.is_object()) return error(path, "not an object");
        for (const auto& [name, value] : object.items()) {
            bool found = false;
            for (std::string_view k : known) found = found || name == k;
            if (!found) return error(path + "." + name, "unknown member");
        }
        return {};
    }
    Expected<std::int64_t> time(const Json& window, const char* name, const std::string& path, bool start) const {
        const auto it = window.find(name);
        if (it == window.end() || !it->is_string()) return error(path + "." + name, "missing or not a string");
        auto seconds = sigstore_detail::parse_rfc3339(it->get<std::string>(), start);
        if (!seconds) return error(path + "." + name, "not an RFC 3339 time");
        return *seconds;
    }

private:
    std::string where_;
};

Expected<CertificateAuthority> parse_authority(const Reader& reader, const Json& ca, const std::string& path,
                                               std::string origin) {
    // `operator` (who runs the CA) is part of the CertificateAuthority message, as of tlogs; informational.
    if (auto ok = reader.only(ca, path, {"subject", "uri", "certChain", "validFor", "operator"}); !ok) {
        return ok.take_error();
    }
    if (const auto op = ca.find("operator"); op != ca.end() && !op->is_string() && !op->is_null()) {
        return reader.error(path + ".operator", "not a string");  // null is proto3 JSON for unset
    }
    CertificateAuthority out;
    out.origin = std::move(origin);
    if (const auto uri = ca.find("uri"); uri != ca.end() && uri->is_string()) out.uri = uri->get<std::string>();
    const auto chain = ca.find("certChain");
    if (chain == ca.end()) return reader.error(path + ".certChain", "missing");
    if (auto ok = reader.only(*chain, path + ".certChain", {"certificates"}); !ok) return ok.take_error();
    const auto certificates = chain->find("certificates");
    if (certificates == chain->end() || !certificates->is_array() || certificates->empty())
        return reader.error(path + ".certChain.certificates", "missing or empty");
    for (std::size_t i = 0; i < certificates->size(); ++i) {
        const std::string at = path + ".certChain.certificates[" + std::to_string(i) + "]";
        const Json& entry = (*certificates)[i];
        if (auto ok = reader.only(entry, at, {"rawBytes"}); !ok) return ok.take_error();
        const auto raw = entry.find("rawBytes");
        if (raw == entry.end() || !raw->is_string()) return reader.error(at + ".rawBytes", "missing");
        auto der = base64_decode(raw->get<std::string>(), at);
        if (!der) return reader.error(at + ".rawBytes", "not valid base64");
        auto cert = parse_certificate_der(*der, at);
        if (!cert) return reader.error(at + ".rawBytes", cert.error().message);
        out.chain.push_back(std::move(*cert));
    }
    const auto window = ca.find("validFor");
    if (window == ca.end()) return reader.error(path + ".validFor.start", "missing");
    if (auto ok = reader.only(*window, path + ".validFor", {"start", "end"}); !ok) return ok.take_error();
    auto start = reader.time(*window, "start", path + ".validFor", true);
    if (!start) return start.take_error();
    out.valid_from = *start;
    if (const auto end = window->find("end"); end != window->end() && !end->is_null()) {
        auto until = reader.time(*window, "end", path + ".validFor", false);
        if (!until) return until.take_error();
        if (*until < out.valid_from) return reader.error(path + ".validFor", "end is before start");
        out.valid_until = *until;
    }
    return out;
}

}  // namespace

Expected<std::vector<CertificateAuthority>> parse_trusted_root_authorities(std::string_view json,
                                                                           std::string_view where,
                                                                           std::string_view member) {
    auto root = parse_json_strict(json, where);
    if (!root) return root.take_error();
    const Reader reader(where);
    std::vector<CertificateAuthority> out;
    if (!root->is_object()) return reader.error("(document)", "not an object");
    const auto list = root->find(std::string(member));
    if (list == root->end() || list->is_null()) return out;
    if (!list->is_array()) return reader.error(std::string(member), "not an array");
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string path = std::string(member) + "[" + std::to_string(i) + "]";
        auto ca = parse_authority(reader, (*list)[i], path, std::string(where) + " " + path);
        if (!ca) return ca.take_error();
        out.push_back(std::move(*ca));
    }
    return out;
}

}  // namespace edgeverify
