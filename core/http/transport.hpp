#pragma once
// The asynchronous HTTP seam between core logic and the daemon's libcurl multi transport.

#include <functional>

#include "core/http/message.hpp"

namespace growth::http {

/// Sends requests without blocking. The daemon implements it over libcurl multi on its event loop;
/// tests use a fake. Loop thread only.
class Transport {
public:
    using Callback = std::function<void(Outcome)>;

    virtual ~Transport() = default;

    /// Starts `request`. `done` runs exactly once, on the loop thread, never from inside send():
    /// with the HttpResponse, or NoResponse{not_sent} when the request certainly never left,
    /// NoResponse{lost} when it may have reached the server. Throws nothing but std::bad_alloc.
    virtual void send(HttpRequest request, Callback done) = 0;
};

}  // namespace growth::http
