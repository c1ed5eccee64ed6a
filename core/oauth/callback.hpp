#pragma once
// What comes back from the platform's authorization page: the query of the redirect to
// http://127.0.0.1:PORT/callback (RFC 6749 §4.1.2), received by growthd's loopback listener or
// pasted by the person (`account login --paste`). Untrusted input: bounded and checked.

#include <string>
#include <string_view>

namespace growth::oauth {

/// A parsed callback: either a code (with its state) or an error answer.
struct Callback {
    std::string code;
    std::string state;
    std::string error;              ///< RFC 6749 §4.1.2.1 `error`, e.g. "access_denied"
    std::string error_description;  ///< as the platform wrote it (control characters removed)
};

/// The longest callback query or pasted text accepted, in bytes.
inline constexpr std::size_t max_callback_bytes = 8192;

/// Parses a callback query string (without `?`). Throws growth::Error("bad_input") when it is
/// longer than max_callback_bytes, names a parameter twice, holds a NUL or control byte once
/// decoded, or has neither `code` nor `error`.
Callback parse_callback_query(std::string_view query);

/// Parses what a person pasted: the whole redirected URL (its query is parsed as above; its
/// fragment is ignored), or only the code (then `state` stays empty and is not checked: the
/// person copied it from the page themselves). Surrounding whitespace is ignored. Throws
/// growth::Error("bad_input") naming what is wrong (empty, a URL without a query, or as above).
Callback parse_pasted(std::string_view text);

}  // namespace growth::oauth
