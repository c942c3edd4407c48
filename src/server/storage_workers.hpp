// Runs storage work off the libuv loop (uv_queue_work) so that a slow database never stalls
// other connections. Storage is not thread-safe: each task gets a handle no other thread uses
// meanwhile, from a pool that grows to at most one handle per libuv worker thread.
#pragma once

#include <uv.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "edgeverify/net/http.hpp"
#include "server/storage.hpp"

namespace edgeverify::server {

class StorageWorkers {
public:
    using Task = std::function<net::HttpResponse(Storage&)>;
    using Done = std::function<void(net::HttpResponse)>;
    using Log = std::function<void(const std::string&)>;

    // `first`: a handle opened (and migrated) by the caller; more are opened on `location`.
    StorageWorkers(uv_loop_t* loop, std::string location, std::unique_ptr<Storage> first, Log log);
    ~StorageWorkers();

    // task runs on a worker thread; done on the loop thread with its response. A handle that
    // cannot be opened answers 503 unavailable.
    void run(Task task, Done done);
    std::size_t in_flight() const { return in_flight_; }

private:
    struct Job;
    std::unique_ptr<Storage> acquire();
    void release(std::unique_ptr<Storage> storage);

    uv_loop_t* loop_;
    std::string location_;
    Log log_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Storage>> idle_;
    std::size_t in_flight_ = 0;  // loop thread only
};

}  // namespace edgeverify::server
