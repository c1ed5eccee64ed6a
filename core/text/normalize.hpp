#pragma once
// Unicode normalization (NFC, via utf8proc) straight into UTF-16, the form twitter-text counts.

#include <cstddef>
#include <string>
#include <string_view>

namespace growth::text {

/// Writes NFC(s) as UTF-16 to `out` (replacing its contents; capacity is reused, so repeated calls
/// do not allocate). `s` must be well-formed UTF-8. Text whose code points cannot change under NFC
/// (the usual case) is converted directly. Throws std::bad_alloc.
void nfc_utf16(std::string_view s, std::u16string& out);

/// Result of utf16_if_nfc_stable().
enum class Utf16Status { ok, needs_nfc, invalid };

/// One pass over `s`: validates UTF-8 and, when NFC cannot change the text (the usual case),
/// writes it as UTF-16 to `out` (ok). Otherwise returns invalid with `bad_offset` set to the
/// offset of the first ill-formed byte, or needs_nfc as soon as it meets a code point NFC may
/// change (the rest of `s` is then NOT validated). Throws std::bad_alloc.
Utf16Status utf16_if_nfc_stable(std::string_view s, std::u16string& out, std::size_t& bad_offset);

/// nfc_utf16() without its first check for text NFC cannot change. Throws std::bad_alloc.
void nfc_utf16_slow(std::string_view s, std::u16string& out);

/// NFC(s) as UTF-8. `s` must be well-formed UTF-8. Throws std::bad_alloc.
std::string nfc(std::string_view s);

}  // namespace growth::text
