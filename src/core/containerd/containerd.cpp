// The Containerd methods (containerd.hpp) as `ctr --address A --namespace N images ...` calls.
// ctr 1.6 has no machine-readable listing (-q prints names only), so the tables of `images ls`
// and `images check` are parsed by whitespace-separated columns: names and digests never hold
// spaces, and only the first columns (REF TYPE DIGEST [STATUS]) are read.
#include "edgeverify/containerd.hpp"

#include <sstream>

#include "core/containerd/ctr_process.hpp"

namespace edgeverify {
namespace {

// What of ctr's stderr goes into an error message.
constexpr std::size_t kMaxQuotedStderr = 2048;

std::string quoted_stderr(const ProcessResult& result) {
    std::string text = result.err.empty() ? result.out : result.err;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (text.size() > kMaxQuotedStderr) text = text.substr(0, kMaxQuotedStderr) + "...";
    return text;
}

Expected<ProcessResult> run_ctr(const ContainerdTarget& target, std::vector<std::string> arguments) {
    std::vector<std::string> argv{target.ctr, "--address", target.address, "--namespace", target.name_space};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(target.timeout);
    auto result = run_process(argv, timeout);
    if (!result) return result.take_error();
    if (!result->succeeded()) {
        std::string command = "ctr";
        for (const auto& a : arguments) command += " " + a;
        return make_error(Errc::io_error, command + " failed (" + describe_process_end(*result, timeout) +
                                              ", containerd at " + target.address + "): " + quoted_stderr(*result));
    }
    return result;
}

std::vector<std::vector<std::string>> table_rows(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream lines(text);
    std::string line;
    bool header = true;
    while (std::getline(lines, line)) {
        if (header) {  // "REF TYPE DIGEST ..." 
            header = false;
            continue;
        }
        std::istringstream fields(line);
        std::vector<std::string> row;
        for (std::string f; fields >> f;) row.push_back(f);
        if (!row.empty()) rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace

Status Containerd::import_archive(const std::string& oci_archive, bool unpack) {
    std::vector<std::string> arguments{"images", "import"};
    if (!unpack) arguments.push_back("--no-unpack");
    arguments.push_back("--");
    arguments.push_back(oci_archive);
    auto result = run_ctr(target_, std::move(arguments));
    if (!result) return result.take_error();
    return {};
}

Expected<bool> Containerd::image_complete(const std::string& name) {
    auto result = run_ctr(target_, {"images", "check", "name==" + name});
    if (!result) return result.take_error();
    // REF TYPE DIGEST STATUS SIZE UNPACKED; STATUS is "complete (4/4)" or "incomplete (3/4)".
    for (const auto& row : table_rows(result->out)) {
        if (row.size() >= 4 && row[0] == name) return row[3] == "complete";
    }
    return false;
}

Expected<std::vector<ContainerdImage>> Containerd::list_images() {
    auto result = run_ctr(target_, {"images", "ls"});
    if (!result) return result.take_error();
    if (result->stdout_truncated) {
        return make_error(Errc::limit_exceeded, "ctr images ls printed more than " +
                                                    std::to_string(kMaxChildOutputBytes) + " bytes");
    }
    std::vector<ContainerdImage> images;
    for (const auto& row : table_rows(result->out)) {
        if (row.size() < 3) {
            return make_error(Errc::io_error, "unexpected line in ctr images ls output: '" + row[0] + "'");
        }
        auto digest = Digest::parse(row[2]);
        if (!digest) {
            return make_error(Errc::io_error, "ctr images ls: image " + row[0] + " has target digest '" + row[2] +
                                                  "' that does not parse: " + digest.error().message);
        }
        images.push_back(ContainerdImage{row[0], *digest, row[1]});
    }
    return images;
}

Status Containerd::remove_image(const std::string& name) {
    auto listed = list_images();
    if (!listed) return listed.take_error();
    bool present = false;
    for (const auto& image : *listed) present = present || image.name == name;
    if (!present) return {};
    auto result = run_ctr(target_, {"images", "rm", "--sync", "--", name});
    if (!result) return result.take_error();
    return {};
}

}  // namespace edgeverify
