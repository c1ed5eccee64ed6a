#pragma once
// URL, query and application/x-www-form-urlencoded encoding (RFC 3986, WHATWG URL "form").

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace growth::http {

/// Ordered name/value pairs for a query string or a form body.
using Params = std::vector<std::pair<std::string, std::string>>;

/// Percent-encodes every byte except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~),
/// with upper-case hex. Suitable for a path segment or a query component. Never throws
/// beyond std::bad_alloc; any byte sequence is accepted.
std::string percent_encode(std::string_view s);

/// Encodes pairs as `a=1&b=2` with percent_encode on names and values (a space becomes %20,
/// which every form parser accepts). Never throws beyond std::bad_alloc.
std::string encode_params(const Params& params);

/// `url` with `params` appended as a query (`?` or `&` as needed); unchanged when params is
/// empty. Never throws beyond std::bad_alloc.
std::string with_query(std::string url, const Params& params);

/// Joins a configured base URL and a path, with exactly one `/` between them
/// ("https://h/v1/" + "/me" -> "https://h/v1/me"). Never throws beyond std::bad_alloc.
std::string join_url(std::string_view base, std::string_view path);

/// Decodes %XX sequences (and `+` as space when `plus_is_space`); a malformed escape is kept
/// literally. Never throws beyond std::bad_alloc.
std::string percent_decode(std::string_view s, bool plus_is_space = false);

}  // namespace growth::http
