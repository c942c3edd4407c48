// Progress bar: "[#######.......]  45%  512.0 MB / 1.13 GB  310.2 MB/s" redrawn in place.
#include "progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "render.hpp"

namespace edgeverify::cli {

ProgressBar::ProgressBar(bool enabled)
    : active_(enabled && isatty(STDERR_FILENO) == 1), started_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
    if (drawn_) std::fputs("\r\033[K", stderr);
}

ProgressCallback ProgressBar::callback() {
    if (!active_) return {};
    return [this](std::uint64_t done, std::uint64_t total) { draw(done, total); };
}

void ProgressBar::draw(std::uint64_t done, std::uint64_t total) {
    constexpr int kWidth = 30;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const double rate = seconds > 0 ? static_cast<double>(done) / 1e6 / seconds : 0;
    std::string bar;
    if (total > 0) {
        const int filled =
            static_cast<int>(kWidth * (static_cast<double>(done) / static_cast<double>(total)));
        bar = "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] " +
              std::to_string(done * 100 / total) + "%  " + human_bytes(done) + " / " + human_bytes(total);
    } else {
        bar = human_bytes(done);
    }
    std::fprintf(stderr, "\r\033[K%s  %.1f MB/s", bar.c_str(), rate);
    std::fflush(stderr);
    drawn_ = true;
}

}  // namespace edgeverify::cli
