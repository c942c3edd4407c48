// edgeverify-version-compare: reads "ecosystem<TAB>a<TAB>b" lines (ecosystem dpkg or apk) and
// prints, per line, "lt", "eq" or "gt" as edgeverify orders a against b, or "error <message>".
// tests/integration/test_version_dpkg.sh runs it on generated pairs and checks every answer
// against `dpkg --compare-versions`.
#include <iostream>
#include <string>

#include "core/rules/version_apk.hpp"
#include "core/rules/version_dpkg.hpp"

int main() {
    std::string line;
    while (std::getline(std::cin, line)) {
        const std::size_t tab1 = line.find('\t');
        const std::size_t tab2 = tab1 == std::string::npos ? tab1 : line.find('\t', tab1 + 1);
        if (tab2 == std::string::npos) {
            std::cout << "error not \"ecosystem<TAB>a<TAB>b\"\n";
            continue;
        }
        const std::string ecosystem = line.substr(0, tab1);
        const std::string a = line.substr(tab1 + 1, tab2 - tab1 - 1);
        const std::string b = line.substr(tab2 + 1);
        auto result = ecosystem == "apk" ? edgeverify::compare_apk_versions(a, b)
                                         : edgeverify::compare_dpkg_versions(a, b);
        if (!result) {
            std::cout << "error " << result.error().message << "\n";
        } else {
            std::cout << (*result < 0 ? "lt" : *result > 0 ? "gt" : "eq") << "\n";
        }
    }
    return 0;
}
