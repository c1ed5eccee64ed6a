#include "core/text/normalize.hpp"

#include <utf8proc.h>

#include <cstdint>
#include <new>
#include <vector>

#include "core/text/utf8.hpp"

namespace growth::text {

namespace {

// True when NFC can never change `c` or its neighbours because of `c`: no canonical
// decomposition, combining class 0, never the second half of a composition (utf8proc marks those
// with bit 15 of comb_index), and not a Hangul vowel or trailing jamo (composed by algorithm).
bool nfc_inert(char32_t c) {
    if (c < 0x300) return true;  // Latin-1 and Latin Extended: already composed, never combine
    if ((c >= 0x1161 && c <= 0x1175) || (c >= 0x11A8 && c <= 0x11C2)) return false;
    const utf8proc_property_t* p = utf8proc_get_property(static_cast<utf8proc_int32_t>(c));
    if (p->combining_class != 0) return false;
    if (p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0) return false;
    if (p->comb_index != UINT16_MAX && (p->comb_index & 0x8000)) return false;
    return true;
}

const std::vector<utf8proc_int32_t>& nfc_code_points(std::string_view s) {
    thread_local std::vector<utf8proc_int32_t> buf;
    const auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (buf.size() < s.size() + 16) buf.resize(s.size() + 16);
    const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    auto n = utf8proc_decompose_custom(bytes, static_cast<utf8proc_ssize_t>(s.size()), buf.data(),
                                       static_cast<utf8proc_ssize_t>(buf.size()), options, nullptr, nullptr);
    if (n > static_cast<utf8proc_ssize_t>(buf.size())) {
        buf.resize(static_cast<std::size_t>(n));
        n = utf8proc_decompose_custom(bytes, static_cast<utf8proc_ssize_t>(s.size()), buf.data(),
                                      static_cast<utf8proc_ssize_t>(buf.size()), options, nullptr, nullptr);
    }
    if (n < 0) throw std::bad_alloc();  // only UTF8PROC_ERROR_NOMEM is possible for valid input
    n = utf8proc_normalize_utf32(buf.data(), n, options);
    thread_local std::vector<utf8proc_int32_t> result;
    result.assign(buf.begin(), buf.begin() + n);
    return result;
}

bool all_inert(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        if (!nfc_inert(decode_utf8(s, i))) return false;
    }
    return true;
}

}  // namespace

void nfc_utf16(std::string_view s, std::u16string& out) {
    out.clear();
    if (all_inert(s)) {
        out.reserve(s.size());
        for (std::size_t i = 0; i < s.size();) {
            const auto b = static_cast<unsigned char>(s[i]);
            if (b < 0x80) {
                out.push_back(b);
                ++i;
            } else {
                append_utf16(out, decode_utf8(s, i));
            }
        }
        return;
    }
    for (const auto c : nfc_code_points(s)) append_utf16(out, static_cast<char32_t>(c));
}

std::string nfc(std::string_view s) {
    if (all_inert(s)) return std::string(s);
    std::string out;
    for (const auto c : nfc_code_points(s)) append_utf8(out, static_cast<char32_t>(c));
    return out;
}

}  // namespace growth::text
