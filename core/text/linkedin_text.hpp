#pragma once
// LinkedIn "little text" (the Posts API commentary format): reserved characters are escaped.

#include <string>
#include <string_view>

namespace growth::text {

/// `text` with a backslash before each of | { } @ [ ] ( ) < > # \ * _ ~ so LinkedIn shows it as
/// written (an unescaped reserved character can make LinkedIn cut the post short). The limit is
/// counted on the unescaped text. Throws std::bad_alloc.
std::string linkedin_escape(std::string_view text);

}  // namespace growth::text
