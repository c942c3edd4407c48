// The operator API (src/server/operator_api.cpp) on a seeded SQLite fleet: every endpoint's JSON
// shape, pagination without repeats or gaps, strict parameters (exact 400 bodies), 404, 405 and
// 409, and the targets it leaves to the router.
#include <algorithm>
#include <set>
#include <tuple>

#include "edgeverify/digest.hpp"
#include "unit/server/operator_api_fixture.hpp"

using namespace operator_api_fixture;

namespace {

std::string envelope_digest(const std::string& envelope) {
    return digest_of(DigestAlgorithm::sha256, envelope).str();
}

Json rejected_summary(const Fleet& f) {
    return Json{{"id", 2},
                {"deviceId", f.a.device_id},
                {"sequence", 2},
                {"kind", "verification"},
                {"subject", {{"name", "registry.example/tool:2"}, {"digest", digest_of_char('b').str()}}},
                {"verificationResult", "FAILED"},
                {"admitted", false},
                {"reason", "no signature from a trusted signer"},
                {"time", "2026-11-27T23:59:00Z"},
                {"receivedAt", "2026-11-27T23:59:00Z"},
                {"alarmCount", 0},
                {"envelopeDigest", envelope_digest(f.envelopes[1])}};
}

Json device_a(const Fleet& f) {
    return Json{{"id", f.a.device_id},
                {"fingerprint", f.a.fingerprint},
                {"status", "active"},
                {"labels", {{"site", "plant 7"}}},
                {"enrolledAt", "2026-11-27T00:00:00Z"},
                {"lastSeen", "2026-11-27T23:59:30Z"},
                {"silent", false},
                {"imageCount", 2},
                {"alarmCount", 1},
                {"lastVerification", rejected_summary(f)}};
}

std::vector<std::string> ids_in(const Json& list, const char* key) {
    std::vector<std::string> out;
    for (const auto& item : list) out.push_back(item[key].is_string() ? item[key].get<std::string>()
                                                                      : item[key].dump());
    return out;
}

}  // namespace

TEST_CASE("operator api: fleet summary") {
    Fleet f;
    CHECK(f.get_json("/api/v1/fleet") ==
          Json{{"devices", {{"pending", 1}, {"active", 1}, {"revoked", 1}, {"silent", 0}, {"compliant", 0}}},
               {"compliance", 0.0},
               {"rejectionsLast24h", 1},
               {"reports", 3},
               {"conflicts", 0},
               {"silentAfterSeconds", 3600},
               {"time", "2026-11-28T00:00:00Z"}});
    auto response = f.request("GET", "/api/v1/fleet");
    CHECK(net::find_header(response.headers, "content-type") == "application/json; charset=utf-8");
}

TEST_CASE("operator api: devices list, filters and detail") {
    Fleet f;
    auto all = f.get_json("/api/v1/devices");
    std::vector<std::string> expected{f.a.device_id, f.b.device_id, f.c.device_id};
    std::sort(expected.begin(), expected.end());
    CHECK(ids_in(all["devices"], "id") == expected);
    CHECK(all["nextCursor"] == "");
    CHECK(f.get_json("/api/v1/devices?status=active") == Json{{"devices", {device_a(f)}}, {"nextCursor", ""}});
    auto pending = f.get_json("/api/v1/devices?status=pending")["devices"];
    REQUIRE(pending.size() == 1);
    CHECK(pending[0]["lastSeen"] == nullptr);
    CHECK(pending[0]["lastVerification"] == nullptr);
    CHECK(pending[0]["silent"] == false);
    for (std::string label : {"label=site=plant+7", "label=site%3Dplant%207", "label=site=plant%207"})
        CHECK(ids_in(f.get_json("/api/v1/devices?" + label)["devices"], "id") ==
              std::vector<std::string>{f.a.device_id});
    CHECK(f.get_json("/api/v1/devices?label=site=plant-7")["devices"].empty());
    CHECK(f.get_json("/api/v1/devices?silent=true")["devices"].empty());
    CHECK(f.get_json("/api/v1/devices?silent=false&status=active")["devices"].size() == 1);

    Json detail = device_a(f);
    detail["images"] = Json::array(
        {{{"reference", "registry.example/app:1.0"}, {"digest", digest_of_char('a').str()}, {"verdict", "admitted"}},
         {{"reference", "registry.example/tool:2"}, {"digest", digest_of_char('b').str()}, {"verdict", "not-admitted"}}});
    detail["alarms"] = Json::array({{{"kind", "image-not-admitted"},
                                     {"message", "containerd holds an image never admitted"},
                                     {"digest", digest_of_char('b').str()}}});
    auto got = f.get_json("/api/v1/devices/" + f.a.device_id);
    CHECK(ids_in(got["recentReports"], "id") == std::vector<std::string>{"3", "2", "1"});
    CHECK(got["recentReports"][1] == rejected_summary(f));
    CHECK(got["recentReports"][0]["kind"] == "device");
    CHECK(got["recentReports"][0]["verificationResult"] == "");
    CHECK(got["recentReports"][0]["admitted"] == nullptr);
    got.erase("recentReports");
    CHECK(got == detail);
    // Percent-encoded path segments are decoded.
    CHECK(f.get_json("/api/v1/devices/%65%76-" + f.a.device_id.substr(3))["id"] == f.a.device_id);
}

TEST_CASE("operator api: accept and revoke") {
    Fleet f;
    CHECK(f.request("GET", "/api/v1/devices/" + f.b.device_id + "/accept").status == 405);
    auto response = f.request("POST", "/api/v1/devices/" + f.b.device_id + "/accept");
    REQUIRE(response.status == 200);
    CHECK(parse_json_strict(response.body, "accept")->at("status") == "active");
    CHECK(f.request("POST", "/api/v1/devices/" + f.b.device_id + "/accept").status == 200);  // twice: no change
    auto conflict = f.request("POST", "/api/v1/devices/" + f.c.device_id + "/accept");
    CHECK(conflict.status == 409);
    CHECK(*parse_json_strict(conflict.body, "409") ==
          error_body("conflict", "device " + f.c.device_id + " is revoked, cannot become active"));
    auto revoked = f.request("POST", "/api/v1/devices/" + f.a.device_id + "/revoke");
    REQUIRE(revoked.status == 200);
    CHECK(parse_json_strict(revoked.body, "revoke")->at("status") == "revoked");
    auto unknown = f.request("POST", "/api/v1/devices/ev-nobody/revoke");
    CHECK(unknown.status == 404);
    CHECK(*parse_json_strict(unknown.body, "404") == error_body("not-found", "no device ev-nobody"));
}

TEST_CASE("operator api: reports, one report with its statement, and the exact envelope") {
    Fleet f;
    auto all = f.get_json("/api/v1/reports");
    CHECK(ids_in(all["reports"], "id") == std::vector<std::string>{"3", "2", "1"});
    CHECK(f.get_json("/api/v1/reports?result=FAILED") == Json{{"reports", {rejected_summary(f)}}, {"nextCursor", ""}});
    CHECK(ids_in(f.get_json("/api/v1/reports?kind=device")["reports"], "id") == std::vector<std::string>{"3"});
    CHECK(ids_in(f.get_json("/api/v1/reports?kind=verification&image=" + digest_of_char('b').str())["reports"], "id") ==
          std::vector<std::string>{"2"});
    CHECK(ids_in(f.get_json("/api/v1/reports?device=" + f.a.device_id + "&from=2026-11-27T23:58:30Z&to=2026-11-28T00:00:00Z")["reports"],
                 "id") == std::vector<std::string>{"3", "2"});
    CHECK(f.get_json("/api/v1/reports?device=ev-nobody")["reports"].empty());

    Json one = rejected_summary(f);
    one["statement"] = *parse_json_strict(f.rejected_statement, "statement");
    CHECK(f.get_json("/api/v1/reports/2") == one);
    auto envelope = f.request("GET", "/api/v1/reports/2/envelope");
    CHECK(envelope.status == 200);
    CHECK(envelope.body == f.envelopes[1]);
    CHECK(net::find_header(envelope.headers, "content-type") == "application/json; charset=utf-8");
}

TEST_CASE("operator api: images list and one image") {
    Fleet f;
    const auto a = digest_of_char('a').str(), b = digest_of_char('b').str();
    // The device report's subject (the device's key fingerprint) is no image.
    CHECK(f.get_json("/api/v1/images") ==
          Json{{"images",
                {{{"digest", a}, {"references", {"registry.example/app:1.0"}}, {"devices", {f.a.device_id}}, {"passed", 1}, {"failed", 0}},
                 {{"digest", b}, {"references", {"registry.example/tool:2"}}, {"devices", {f.a.device_id}}, {"passed", 0}, {"failed", 1}}}},
               {"nextCursor", ""}});
    auto image = f.get_json("/api/v1/images/" + b);
    CHECK(ids_in(image["recentReports"], "id") == std::vector<std::string>{"2"});
    CHECK(image["failed"] == 1);
    CHECK(image["references"] == Json{"registry.example/tool:2"});
    auto unknown = f.request("GET", "/api/v1/images/" + digest_of_char('9').str());
    CHECK(unknown.status == 404);
    CHECK(*parse_json_strict(unknown.body, "404") == error_body("not-found", "no report names image " + digest_of_char('9').str()));
}

TEST_CASE("operator api: pages of one item walk every list without repeat or gap") {
    Fleet f;
    for (auto [list, key, total] : {std::tuple{"reports", "id", 3}, std::tuple{"devices", "id", 3}, std::tuple{"images", "digest", 2}}) {
        const auto list_name = list;  // INFO captures it: clang 14 cannot capture a structured binding
        INFO(list_name);
        std::vector<std::string> seen;
        std::string cursor;
        for (int page = 0; page < 10; ++page) {
            auto body = f.get_json(std::string("/api/v1/") + list + "?limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor));
            REQUIRE(body[list].size() == 1);
            seen.push_back(ids_in(body[list], key).front());
            cursor = body["nextCursor"].get<std::string>();
            if (cursor.empty()) break;
        }
        CHECK(seen.size() == static_cast<std::size_t>(total));
        CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == seen.size());
        CHECK(ids_in(f.get_json(std::string("/api/v1/") + list + "?limit=200")[list], key) == seen);
    }
}

TEST_CASE("operator api: a bad parameter or path is a 400 naming it") {
    Fleet f;
    const std::pair<std::string, std::string> cases[] = {
        {"/api/v1/devices?stauts=active", "unknown query parameter stauts"},
        {"/api/v1/devices?status=gone", "query parameter status: must be one of pending, active, revoked"},
        {"/api/v1/devices?status=active&status=pending", "query parameter status is given twice"},
        {"/api/v1/devices?label=site", "query parameter label: must be name=value"},
        {"/api/v1/devices?label==x", "query parameter label: must be name=value"},
        {"/api/v1/devices?silent=yes", "query parameter silent: must be one of true, false"},
        {"/api/v1/devices?limit=0", "query parameter limit: must be an integer from 1 to 200"},
        {"/api/v1/devices?limit=201", "query parameter limit: must be an integer from 1 to 200"},
        {"/api/v1/devices?limit=01", "query parameter limit: must be an integer from 1 to 200"},
        {"/api/v1/devices?limit=", "query parameter limit: must be an integer from 1 to 200"},
        {"/api/v1/devices?cursor=c1.5", "query parameter cursor: page cursor is not one this server issued"},
        {"/api/v1/reports?cursor=d1.00", "query parameter cursor: page cursor is not one this server issued"},
        {"/api/v1/images?cursor=%27%20OR%201=1", "query parameter cursor: page cursor is not one this server issued"},
        {"/api/v1/reports?result=passed", "query parameter result: must be one of PASSED, FAILED"},
        {"/api/v1/reports?kind=vsa", "query parameter kind: must be one of verification, device"},
        {"/api/v1/reports?from=yesterday", "query parameter from: must be an RFC 3339 UTC time like 2026-11-28T06:00:00Z"},
        {"/api/v1/reports?to=2026-11-28T06:00:00%2B01:00", "query parameter to: must be an RFC 3339 UTC time like 2026-11-28T06:00:00Z"},
        {"/api/v1/reports?image=sha256:abc", "query parameter image: must be sha256:<64 hex digits>"},
        {"/api/v1/reports?device=", "query parameter device: must not be empty"},
        {"/api/v1/reports?device=%zz", "query parameter device: bad percent-encoding"},
        {"/api/v1/reports?device=%C3%28", "query parameter device: not UTF-8 or holds a NUL byte"},
        {"/api/v1/reports?device=a%00b", "query parameter device: not UTF-8 or holds a NUL byte"},
        {"/api/v1/reports/abc", "path: a report id is a positive integer"},
        {"/api/v1/reports/0/envelope", "path: a report id is a positive integer"},
        {"/api/v1/reports/1?full=1", "unknown query parameter full"},
        {"/api/v1/images/sha256:ABC", "path: an image digest is sha256:<64 hex digits>"},
        {"/api/v1/devices/%4", "path: bad percent-encoding"},
        {"/api/v1/fleet?now=1", "unknown query parameter now"},
    };
    for (const auto& [target, message] : cases) {
        auto response = f.request("GET", target);
        const auto& target_text = target;  // INFO captures it: clang 14 cannot capture a structured binding
        INFO(target_text << " -> " << response.body);
        CHECK(response.status == 400);
        CHECK(*parse_json_strict(response.body, target) == error_body("bad-request", message));
    }
    // SQL metacharacters in filters are plain data: nothing matches, nothing breaks.
    for (std::string hostile : {"%27%20OR%20%271%27=%271", "x%22;%20DROP%20TABLE%20reports;%20--", "%25", "_"}) {
        CHECK(f.get_json("/api/v1/reports?device=" + hostile)["reports"].empty());
        CHECK(f.get_json("/api/v1/devices?label=" + hostile + "=" + hostile)["devices"].empty());
        CHECK(f.request("GET", "/api/v1/devices/" + hostile).status == 404);
    }
    CHECK(f.get_json("/api/v1/fleet")["reports"] == 3);
}

TEST_CASE("operator api: unknown ids are 404, wrong methods 405 with Allow, other targets are the router's") {
    Fleet f;
    for (std::string target : {"/api/v1/devices/ev-nobody", "/api/v1/reports/99", "/api/v1/reports/99/envelope",
                               "/api/v1/devices/x/y/z", "/api/v1/reports/1/other", "/api/v1/images/a/b", "/api/v1/fleet/x"}) {
        INFO(target);
        CHECK(f.request("GET", target).status == 404);
    }
    CHECK(*parse_json_strict(f.request("GET", "/api/v1/reports/99").body, "404") ==
          error_body("not-found", "no report 99"));
    const std::tuple<std::string, std::string, std::string> methods[] = {
        {"DELETE", "/api/v1/devices/x", "GET"},         {"PUT", "/api/v1/devices", "GET, POST"},
        {"POST", "/api/v1/images", "GET"},              {"DELETE", "/api/v1/reports", "GET, POST"},
        {"POST", "/api/v1/reports/1", "GET"},           {"POST", "/api/v1/fleet", "GET"},
        {"GET", "/api/v1/devices/x/revoke", "POST"}};
    for (const auto& [method, target, allow] : methods) {
        auto response = f.request(method, target);
        const auto& method_text = method;  // INFO captures these: clang 14 cannot capture a structured binding
        const auto& target_text = target;
        INFO(method_text << " " << target_text);
        CHECK(response.status == 405);
        CHECK(net::find_header(response.headers, "allow") == allow);
        CHECK(*parse_json_strict(response.body, "405") ==
              error_body("method-not-allowed", "method not allowed; allowed: " + allow));
    }
    for (auto [method, target] : {std::pair{"POST", "/api/v1/devices"}, std::pair{"POST", "/api/v1/reports"},
                                  std::pair{"POST", "/api/v1/enroll"}, std::pair{"GET", "/healthz"},
                                  std::pair{"GET", "/api/v1/devicesx"}, std::pair{"GET", "/"}}) {
        net::HttpRequest r;
        r.method = method;
        r.target = target;
        CHECK_FALSE(handle_operator_request(r, OperatorApiContext{*f.store, kNow, 3600, {}}));
    }
}
