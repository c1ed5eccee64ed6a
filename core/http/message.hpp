#pragma once
// Plain HTTP values exchanged between the pure publishers in core/ and the transport in daemon/.
// No sockets or curl here: a publisher yields an HttpRequest and consumes an Outcome.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace growth::http {

/// One header line as sent or received (name kept as given).
struct Header {
    std::string name;
    std::string value;
    bool operator==(const Header&) const = default;
};

/// An ordered header list with case-insensitive lookup (RFC 9110 §5.1).
class Headers {
  public:
    Headers() = default;
    /// Builds from literal pairs, in order. Does not throw beyond std::bad_alloc.
    Headers(std::initializer_list<Header> list) : items_(list) {}

    /// Appends a header (duplicates are kept, as on the wire). Does not throw beyond bad_alloc.
    void add(std::string name, std::string value);
    /// The first value of `name` (case-insensitive), or nullopt. Never throws.
    std::optional<std::string_view> get(std::string_view name) const noexcept;
    /// True when `name` is present (case-insensitive). Never throws.
    bool has(std::string_view name) const noexcept { return get(name).has_value(); }
    /// All headers in order.
    const std::vector<Header>& items() const noexcept { return items_; }
    bool operator==(const Headers&) const = default;

  private:
    std::vector<Header> items_;
};

/// ASCII case-insensitive comparison (header names, media types). Never throws.
bool iequals(std::string_view a, std::string_view b) noexcept;

/// Whom a request is sent for; never sent on the wire. The daemon runs at most a few transfers
/// per account at once and queues the rest ([limits] max_transfers_per_account).
struct RequestOwner {
    std::string account;  ///< the account's name; empty: not limited
    /// Null, or true once nobody waits for the answer any more (the client that asked has gone):
    /// a request still queued is then dropped, answered NoResponse{not_sent}.
    std::function<bool()> abandoned;
};

/// A request a publisher wants sent. `headers` and `body` may carry the account's secret (an
/// `Authorization` header or a Meta `access_token` form field or query parameter): never log them.
struct HttpRequest {
    std::string method;  ///< "GET", "POST"
    std::string url;     ///< absolute URL, query already encoded
    Headers headers;
    std::string body;
    RequestOwner owner{};  ///< set by the daemon where the request leaves for the transport
};

/// A complete response (any status) as received.
struct HttpResponse {
    int status = 0;
    Headers headers;
    std::string body;
};

/// Why no response came back.
enum class NoResponseKind {
    /// The request certainly did not reach the server (DNS failure, connection refused,
    /// TLS handshake failed before any request byte was written).
    not_sent,
    /// The request may have been (partly) sent: connection reset, timeout, stall, or the
    /// response was lost. Whether the server applied it is unknown.
    lost,
    /// An answer was coming but the transport stopped reading it past a bound (a body larger
    /// than limits.max_response_bytes, nested deeper than limits.max_json_depth, or too many
    /// header bytes). The request reached the server, so whether it was applied is unknown,
    /// exactly as for `lost`.
    answer_refused,
};

/// The transport's "no response" outcome; `detail` is a short human text (no secrets).
struct NoResponse {
    NoResponseKind kind = NoResponseKind::lost;
    std::string detail;
};

/// What the transport hands back for one HttpRequest.
using Outcome = std::variant<HttpResponse, NoResponse>;

}  // namespace growth::http
