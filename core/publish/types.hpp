#pragma once
// Values shared by every platform publisher: the account, the part to send, and the results.
// See publisher.hpp for how the daemon drives a publisher.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/http/message.hpp"
#include "core/platform.hpp"

namespace growth::publish {

/// Wall-clock instant with millisecond precision; always passed in (fake-clock friendly).
using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

// The one Platform enum of the core (core/platform.hpp).
using growth::Platform;
using growth::parse_platform;
using growth::platform_name;

/// A Bluesky legacy (app-password) session. The JWTs are secrets.
struct BlueskySession {
    std::string access_jwt;
    std::string refresh_jwt;
    std::string did;     ///< the repo the posts go to
    std::string handle;  ///< for display only; public URLs use the DID
    bool operator==(const BlueskySession&) const = default;
};

/// Options only LinkedIn uses.
struct LinkedInOptions {
    /// `LinkedIn-Version` header (YYYYMM; must be an active version, platforms.md §2.2).
    std::string version = "202606";
    /// Post comments through unversioned `/v2/socialActions/...` instead of `/rest/...`
    /// (the workaround for 403 `partnerApiSocialActions`, platforms.md §2.2).
    bool v2_comments = false;
};

/// Options only Mastodon uses.
struct MastodonOptions {
    std::string visibility = "public";  ///< public | unlisted | private | direct
    std::string language;               ///< ISO 639-1; omitted when empty
};

/// Options only Bluesky uses.
struct BlueskyOptions {
    std::vector<std::string> langs;  ///< record `langs`; omitted when empty
};

/// Everything a publisher needs to know about the account it posts as.
///
/// Field use per platform (empty = not used):
/// | platform  | api_base (default in comment)                 | user_id                 | username
/// |
/// |-----------|-----------------------------------------------|-------------------------|-----------------|
/// | x         | https://api.x.com                             | (unused)                | for URLs
/// | | linkedin  | https://api.linkedin.com                      | author URN person/org   |
/// (unused)        | | facebook  | https://graph.facebook.com/v25.0              | Page id |
/// (unused)        | | instagram | https://graph.facebook.com/v25.0 (or IG host) | IG user id |
/// (unused)        | | threads   | https://graph.threads.net/v1.0                | Threads user id
/// or "me" | (unused)        | | mastodon  | https://{instance}                            |
/// (unused)                | (unused)        | | bluesky   | https://{pds} | (session.did is used)
/// | login identifier| `web_base` overrides the public web host used in URLs (default per
/// platform).
struct Account {
    Platform platform = Platform::x;
    std::string api_base;
    std::string web_base;
    std::string user_id;
    std::string username;
    /// OAuth access token / Page token (secret; never put into messages). Unused for Bluesky.
    std::string access_token;
    /// Bluesky: the app password used for createSession when no usable session exists (secret).
    std::string app_password;
    /// Bluesky: the current session (empty access_jwt = log in first).
    BlueskySession session;
    LinkedInOptions linkedin;
    MastodonOptions mastodon;
    BlueskyOptions bluesky;
};

/// A reference to a published part: what the next part replies to.
struct PartRef {
    /// X tweet id, LinkedIn post/comment URN, Facebook post/comment id, Instagram media/comment
    /// id, Threads media id, Mastodon status id, Bluesky at:// URI.
    std::string id;
    std::string cid;  ///< Bluesky record CID (strong ref); empty elsewhere
    std::string url;  ///< public URL (Instagram comments reuse the root's URL)
    bool operator==(const PartRef&) const = default;
};

/// A Bluesky rich-text facet over the part's text (UTF-8 byte offsets, end exclusive). The same
/// fields as text::BlueskyFacet (core/text/bluesky_facets.hpp), which was not on this branch when
/// this was written; convert field by field.
struct Facet {
    enum class Kind { link, mention, tag };
    Kind kind = Kind::link;
    std::size_t byte_start = 0;
    std::size_t byte_end = 0;
    /// link: URI; mention: a DID, or a handle (with or without '@') that the publisher resolves
    /// with com.atproto.identity.resolveHandle (an unknown handle's facet is dropped);
    /// tag: the tag without '#'.
    std::string value;
};

/// One part of a thread, as the caller committed it in state `prepared`.
struct Part {
    std::string text;
    int index = 1;                  ///< 1-based position in the thread
    std::optional<PartRef> parent;  ///< the previous part (required for index > 1)
    std::optional<PartRef> root;    ///< the first part (required for index > 1)
    /// Mastodon: the `Idempotency-Key`; Bluesky: the record key (a TID, see bluesky_tid.hpp).
    /// Chosen and committed by the caller before the first attempt; reused on every retry.
    std::string idempotency_key;
    std::string media_url;      ///< public image URL (Instagram part 1 requires it)
    std::vector<Facet> facets;  ///< Bluesky only
    /// Instagram/Threads: a container id committed by an earlier attempt (from a Checkpoint).
    std::string container_id;
    /// True when an earlier attempt may have reached the server with an unknown result (the part
    /// was found in `sending`, or the last Failure had `verify_on_retry`). The publisher then
    /// checks before re-sending, or reports `ambiguous` without sending where it cannot check.
    bool resume = false;
    /// When the first attempt was sent (Mastodon keeps idempotency keys for one hour).
    std::optional<Instant> first_attempt_at;
};

/// The outcome class of a failed part (DESIGN.md §5 part states in brackets).
enum class FailureClass {
    retry_safe,    ///< nothing was applied, or a retry is idempotent [retry_wait]
    rate_limited,  ///< throttled; retry at `retry_at` if known [retry_wait]
    needs_login,   ///< token expired/revoked/invalid [needs_auth]
    permanent,     ///< will fail again as is: validation, duplicate, permission [failed]
    ambiguous,     ///< request may have been applied and cannot be checked here [unknown]
};

/// Stable name of a FailureClass ("retry_safe", ...). Never throws.
std::string_view failure_class_name(FailureClass c) noexcept;

/// A classified failure. `message` is one line for people; it never contains a secret.
struct Failure {
    FailureClass cls = FailureClass::permanent;
    /// Stable snake_case reason, e.g. "duplicate_content", "rate_limited", "token_invalid",
    /// "http_503", "connection_lost", "bad_response", "bad_input", "validation".
    std::string code;
    std::string message;
    std::optional<Instant> retry_at;  ///< rate_limited/retry_safe: earliest sensible retry
    int http_status = 0;              ///< 0 when no response
    /// The next attempt must set Part::resume (the publisher checks before re-sending).
    bool verify_on_retry = false;
};

/// A published part.
struct Published {
    std::string remote_id;  ///< same as ref.id
    std::string url;        ///< public URL; empty only when the platform could not tell it
    PartRef ref;            ///< what part k+1 passes as `parent` (and part 1's as `root`)
};

/// The identity an account token belongs to (`account test`).
struct Identity {
    std::string id;        ///< platform user/page id, member `sub`, or DID
    std::string username;  ///< handle/username/acct when the platform has one
    std::string name;      ///< display name when given
};

/// State a publisher learned that the caller must commit durably BEFORE sending the request it
/// comes with (a crash after sending must not lose it).
struct Checkpoint {
    /// Instagram/Threads: the container id; store it on the part (pass as Part::container_id).
    std::optional<std::string> container_id;
    /// Bluesky: a new session (refresh tokens rotate); store it on the account (vault).
    std::optional<BlueskySession> session;
    bool empty() const noexcept { return !container_id && !session; }
};

/// "Send this request next", after committing `checkpoint` if it is not empty.
struct Send {
    http::HttpRequest request;
    Checkpoint checkpoint;
};

/// One step of a publishing exchange.
using PartStep = std::variant<Send, Published, Failure>;
/// One step of a who-am-I exchange.
using WhoAmIStep = std::variant<Send, Identity, Failure>;

}  // namespace growth::publish
