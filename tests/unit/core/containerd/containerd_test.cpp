// Containerd over a stand-in `ctr` (a shell script printing ctr 1.6's exact table layouts): the
// parsing of `images ls` / `images check`, the argv it passes, and how a failing ctr is reported.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "edgeverify/containerd.hpp"

using namespace edgeverify;

namespace {

const std::string kDigest = "sha256:34b5c754f69255a91f0cf98314887aae31f12a1600ad0dd56706cb3f19c15b6e";

// A fake ctr in a fresh temporary directory; it appends its argv to args.log there.
struct FakeCtr {
    std::string dir;
    std::string path;
    explicit FakeCtr(const std::string& body) {
        char pattern[] = "/tmp/edgeverify-fake-ctr.XXXXXX";
        dir = ::mkdtemp(pattern);
        path = dir + "/ctr";
        std::ofstream(path) << "#!/bin/sh\necho \"$@\" >>" << dir << "/args.log\n" << body;
        ::chmod(path.c_str(), 0700);
    }
    ~FakeCtr() { std::system(("rm -rf '" + dir + "'").c_str()); }
    std::string args() const {
        std::ifstream in(dir + "/args.log");
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    Containerd client(std::chrono::seconds timeout = std::chrono::seconds(10)) const {
        return Containerd(ContainerdTarget{path, "/run/test.sock", "ns1", timeout});
    }
};

}  // namespace

TEST_SUITE("containerd") {
    TEST_CASE("images ls: name, target digest and media type of each row; the header is skipped") {
        FakeCtr ctr(
            "cat <<'OUT'\n"
            "REF                             TYPE                                       DIGEST                                                                  SIZE    PLATFORMS   LABELS \n"
            "registry.example.com/x/a:1      application/vnd.oci.image.manifest.v1+json " + kDigest + " 1.0 MiB linux/amd64 -      \n"
            "OUT\n");
        auto images = ctr.client().list_images();
        REQUIRE(images);
        REQUIRE(images->size() == 1);
        CHECK((*images)[0].name == "registry.example.com/x/a:1");
        CHECK((*images)[0].target.str() == kDigest);
        CHECK((*images)[0].media_type == "application/vnd.oci.image.manifest.v1+json");
        CHECK(ctr.args() == "--address /run/test.sock --namespace ns1 images ls\n");
    }

    TEST_CASE("images check: complete is true, incomplete is false, an absent image is false") {
        FakeCtr ctr(
            "cat <<'OUT'\n"
            "REF   TYPE                                       DIGEST     STATUS           SIZE            UNPACKED \n"
            "a:1   application/vnd.oci.image.manifest.v1+json " + kDigest + " complete (5/5)   1.0 MiB/1.0 MiB true \n"
            "b:1   application/vnd.oci.image.manifest.v1+json " + kDigest + " incomplete (3/5) 0.5 MiB/1.0 MiB false \n"
            "OUT\n");
        auto client = ctr.client();
        CHECK(client.image_complete("a:1").value() == true);
        CHECK(client.image_complete("b:1").value() == false);
        CHECK(client.image_complete("c:1").value() == false);
        CHECK(ctr.args().find("images check name==a:1\n") != std::string::npos);
    }

    TEST_CASE("a target digest that does not parse is an error naming the image") {
        FakeCtr ctr("printf 'REF TYPE DIGEST\\nx:1 t sha256:XYZ 1 MiB\\n'\n");
        auto images = ctr.client().list_images();
        REQUIRE_FALSE(images);
        CHECK(images.error().code == Errc::io_error);
        CHECK(images.error().message.find("x:1") != std::string::npos);
    }

    TEST_CASE("import passes --no-unpack and the archive after --") {
        FakeCtr ctr("exit 0\n");
        auto client = ctr.client();
        REQUIRE(client.import_archive("/staging/import.tar", false));
        REQUIRE(client.import_archive("/staging/import.tar", true));
        CHECK(ctr.args() ==
              "--address /run/test.sock --namespace ns1 images import --no-unpack -- /staging/import.tar\n"
              "--address /run/test.sock --namespace ns1 images import -- /staging/import.tar\n");
    }

    TEST_CASE("a failing ctr is io_error quoting its stderr and exit status") {
        FakeCtr ctr("echo 'ctr: failed to dial \"/run/test.sock\": connection refused' >&2\nexit 1\n");
        auto status = ctr.client().import_archive("/x.tar", true);
        REQUIRE_FALSE(status);
        CHECK(status.error().code == Errc::io_error);
        CHECK(status.error().message.find("connection refused") != std::string::npos);
        CHECK(status.error().message.find("exit 1") != std::string::npos);
    }

    TEST_CASE("a ctr that hangs is killed at the timeout") {
        FakeCtr ctr("sleep 30\n");
        auto images = ctr.client(std::chrono::seconds(1)).list_images();
        REQUIRE_FALSE(images);
        CHECK(images.error().message.find("timed out") != std::string::npos);
    }

    TEST_CASE("remove: an absent image is not an error and runs no rm") {
        FakeCtr ctr("printf 'REF TYPE DIGEST\\n'\n");
        REQUIRE(ctr.client().remove_image("gone:1"));
        CHECK(ctr.args().find("images rm") == std::string::npos);
    }
}
