// edgeverify-vectors: runner for public vector sets.
#include <cstdio>

int main() {
    std::fputs("edgeverify-vectors: not implemented yet\n", stderr);
    return 2;
}
