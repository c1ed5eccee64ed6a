#include "core/rpc/deferred.hpp"

#include <string>

#include "core/rpc/dispatcher.hpp"
#include "core/rpc/message.hpp"

namespace growth::rpc {

struct Responder::State {
    Json id;
    bool wants_reply = true;
    std::shared_ptr<LateReplySink> sink;
    bool answered = false;

    void settle(std::optional<Json> response) {
        answered = true;
        if (sink) sink->settle(wants_reply ? std::move(response) : std::nullopt);
    }

    ~State() {
        if (answered) return;
        try {
            settle(make_error(id, ErrorCode::internal_error, kind::internal_error,
                              "internal error: growthd dropped this request before answering"));
        } catch (...) {
            // Out of memory in a destructor: the connection's debt stays, nothing more to do.
        }
    }
};

Responder::Responder(Json id, bool wants_reply, std::shared_ptr<LateReplySink> sink)
    : state_(std::make_shared<State>()) {
    state_->id = std::move(id);
    state_->wants_reply = wants_reply;
    state_->sink = std::move(sink);
    if (state_->sink) state_->sink->owed();
}

void Responder::result(Json result) const {
    if (state_->answered) return;
    state_->settle(make_result(state_->id, std::move(result)));
}

void Responder::error(std::exception_ptr error) const {
    if (state_->answered) return;
    state_->settle(error_response(state_->id, std::move(error)));
}

bool Responder::answered() const noexcept { return state_->answered; }

bool Responder::abandoned() const noexcept { return state_->sink && state_->sink->gone(); }

bool Responder::claim() const {
    if (state_->answered) return false;
    state_->settle(std::nullopt);
    return true;
}

}  // namespace growth::rpc
