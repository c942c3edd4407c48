// Fuzz target: the streaming layer tar scanner (layer_scan.hpp), which reads every header of
// every layer: fed in two uneven chunks, then finished.
#include <cstddef>
#include <cstdint>

#include "edgeverify/layer_scan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    edgeverify::LayerTarScanner scanner;
    const std::size_t first = size / 3;
    if (scanner.feed(data, first) && scanner.feed(data + first, size - first)) (void)scanner.finish();
    (void)scanner.facts();
    (void)edgeverify::looks_like_tar_header(data, size);
    return 0;
}
