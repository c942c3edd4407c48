// Dashboard static files (src/server/dashboard_files.*): only regular files under the directory,
// reached without symlinks, with an allowed extension and the right Content-Type.
#include <doctest/doctest.h>

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "server/dashboard_files.hpp"

using namespace edgeverify;
using namespace edgeverify::server;

namespace {

struct Dashboard {
    Dashboard() {
        char pattern[] = "/tmp/edgeverify-dash-XXXXXX";
        REQUIRE(::mkdtemp(pattern) != nullptr);
        base = pattern;
        std::filesystem::create_directories(base + "/dash/js");
        std::ofstream(base + "/dash/index.html") << "<html>";
        std::ofstream(base + "/dash/js/app.js") << "app";
        std::ofstream(base + "/dash/notes.txt") << "no";
        std::ofstream(base + "/secret.html") << "outside";
        REQUIRE(::symlink((base + "/secret.html").c_str(), (base + "/dash/out.html").c_str()) == 0);
        REQUIRE(::symlink((base + "/dash/js").c_str(), (base + "/dash/linked").c_str()) == 0);
    }
    ~Dashboard() {
        std::error_code ignored;
        std::filesystem::remove_all(base, ignored);
    }
    std::string dir() const { return base + "/dash"; }
    std::string base;
};

Errc refusal(const Dashboard& d, std::string_view path) {
    auto file = read_dashboard_file(d.dir(), path);
    return file ? Errc::internal : file.error().code;
}

}  // namespace

TEST_CASE("dashboard files: index and nested files with their Content-Type") {
    Dashboard d;
    auto index = read_dashboard_file(d.dir(), "/");
    REQUIRE(index);
    CHECK(index->body == "<html>");
    CHECK(index->content_type == "text/html; charset=utf-8");
    auto app = read_dashboard_file(d.dir(), "/dashboard/js/app.js");
    REQUIRE(app);
    CHECK(app->body == "app");
    CHECK(app->content_type == "text/javascript; charset=utf-8");
}

TEST_CASE("dashboard files: traversal, symlinks, other extensions and odd paths are not found") {
    Dashboard d;
    for (std::string_view path : {"/dashboard/../secret.html", "/dashboard/js/../index.html", "/dashboard//index.html",
                                  "/dashboard/./index.html", "/dashboard/out.html", "/dashboard/linked/app.js",
                                  "/dashboard/notes.txt", "/dashboard/js", "/dashboard/%2e%2e/secret.html",
                                  "/dashboard/js\\app.js", "/index.html", "/dashboard/missing.css"}) {
        CAPTURE(path);
        CHECK(refusal(d, path) == Errc::not_found);
    }
    CHECK(refusal(d, std::string_view("/dashboard/index.html\0.js", 25)) == Errc::not_found);
}
