#pragma once
// Mastodon's StatusLengthValidator: graphemes of the text after links with a scheme become 23
// characters and remote mentions @user@domain become @user.

#include <string_view>

namespace growth::text {

/// Mastodon's counted length of well-formed UTF-8 `text`. Links are twitter-text URLs written
/// with http:// or https:// (Mastodon's extractor is twitter-text's, without protocol-less
/// links); mentions follow Mastodon's MENTION_RE. Throws std::bad_alloc.
long mastodon_length(std::string_view text);

}  // namespace growth::text
