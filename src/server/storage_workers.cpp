// Storage work on libuv worker threads (storage_workers.hpp).
#include "server/storage_workers.hpp"

#include "server/api_responses.hpp"

namespace edgeverify::server {

struct StorageWorkers::Job {
    uv_work_t work{};
    StorageWorkers* owner = nullptr;
    Task task;
    Done done;
    net::HttpResponse response;
};

StorageWorkers::StorageWorkers(uv_loop_t* loop, std::string location, std::unique_ptr<Storage> first, Log log)
    : loop_(loop), location_(std::move(location)), log_(std::move(log)) {
    if (first) idle_.push_back(std::move(first));
}

StorageWorkers::~StorageWorkers() = default;

std::unique_ptr<Storage> StorageWorkers::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto storage = std::move(idle_.back());
            idle_.pop_back();
            return storage;
        }
    }
    auto opened = Storage::open(location_);
    if (!opened) {
        log_("storage open failed: " + opened.error().message);
        return nullptr;
    }
    return std::move(*opened);
}

void StorageWorkers::release(std::unique_ptr<Storage> storage) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(storage));
}

void StorageWorkers::run(Task task, Done done) {
    auto* job = new Job;
    job->work.data = job;
    job->owner = this;
    job->task = std::move(task);
    job->done = std::move(done);
    auto on_worker = [](uv_work_t* work) {
        auto* job = static_cast<Job*>(work->data);
        auto storage = job->owner->acquire();
        if (!storage) {
            job->response = error_response(503, "unavailable", "the database cannot be opened now");
            return;
        }
        job->response = job->task(*storage);
        job->owner->release(std::move(storage));
    };
    auto on_loop = [](uv_work_t* work, int status) {
        std::unique_ptr<Job> job(static_cast<Job*>(work->data));
        --job->owner->in_flight_;
        if (status == UV_ECANCELED) job->response = error_response(503, "unavailable", "the server is stopping");
        job->done(std::move(job->response));
    };
    ++in_flight_;
    if (const int rc = uv_queue_work(loop_, &job->work, on_worker, on_loop); rc != 0) {
        --in_flight_;
        std::unique_ptr<Job> failed(job);
        failed->done(error_response(503, "unavailable", std::string("cannot queue work: ") + uv_strerror(rc)));
    }
}

}  // namespace edgeverify::server
