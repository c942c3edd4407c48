// A progress bar on stderr for long verifications, drawn only on a terminal.
#pragma once

#include <chrono>
#include <cstdint>

#include "edgeverify/source.hpp"

namespace edgeverify::cli {

class ProgressBar {
public:
    // Draws nothing unless stderr is a terminal and `enabled`.
    explicit ProgressBar(bool enabled);
    ~ProgressBar();
    ProgressCallback callback();

private:
    void draw(std::uint64_t done, std::uint64_t total);
    bool active_ = false;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace edgeverify::cli
