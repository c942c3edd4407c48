// The edgeverify command: dispatches subcommands.
#include <cstdio>

int main() {
    std::fputs("edgeverify: not implemented yet\n", stderr);
    return 2;
}
