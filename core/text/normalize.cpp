#include "core/text/normalize.hpp"

#include <utf8proc.h>

#include <cstdint>
#include <memory>
#include <new>
#include <vector>

#include "core/text/utf8.hpp"

namespace growth::text {

namespace {

// True when NFC can never change `c` or its neighbours because of `c`: combining class 0,
// never the second half of a composition (utf8proc marks those with bit 15 of comb_index), not a
// Hangul vowel or trailing jamo (composed by algorithm), and either no canonical decomposition or
// a primary composite (decomposes into two or more characters starting with a starter and is not
// excluded from composition), which NFC composes back to itself.
bool compute_inert(char32_t c) {
    if (c < 0x300) return true;  // Latin-1 and Latin Extended: already composed, never combine
    if ((c >= 0x1161 && c <= 0x1175) || (c >= 0x11A8 && c <= 0x11C2)) return false;
    const auto cp = static_cast<utf8proc_int32_t>(c);
    const utf8proc_property_t* p = utf8proc_get_property(cp);
    if (p->combining_class != 0) return false;
    if (p->comb_index != UINT16_MAX && (p->comb_index & 0x8000)) return false;
    if (p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0) {
        // Ask utf8proc whether NFC gives the character back (singletons such as U+212B and
        // U+1F71 do not).
        utf8proc_int32_t buf[8] = {cp};
        int last_boundclass = 0;
        auto len = utf8proc_decompose_char(cp, buf, 8, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE),
                                           &last_boundclass);
        if (len < 1 || len > 8) return false;
        len = utf8proc_normalize_utf32(buf, len, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
        return len == 1 && buf[0] == cp;
    }
    return true;
}

// For the one-pass check: 0 for an inert code point; for a combining mark that has no
// decomposition and never composes, its combining class (NFC leaves it alone as long as the marks
// after a starter are already in canonical order); 255 for anything else.
constexpr std::uint8_t kNeedsNfc = 255;

std::uint8_t compute_stable_class(char32_t c) {
    if (compute_inert(c)) return 0;
    if ((c >= 0x1161 && c <= 0x1175) || (c >= 0x11A8 && c <= 0x11C2)) return kNeedsNfc;
    const utf8proc_property_t* p = utf8proc_get_property(static_cast<utf8proc_int32_t>(c));
    if (p->combining_class == 0 || p->combining_class >= kNeedsNfc) return kNeedsNfc;
    if (p->comb_index != UINT16_MAX && (p->comb_index & 0x8000)) return kNeedsNfc;
    if (p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0) return kNeedsNfc;
    return static_cast<std::uint8_t>(p->combining_class);
}

const std::uint8_t* stable_class_bmp() {
    static const std::unique_ptr<std::uint8_t[]> table = [] {
        auto t = std::make_unique<std::uint8_t[]>(0x10000);
        for (char32_t u = 0; u < 0x10000; ++u) t[u] = (u >= 0xD800 && u <= 0xDFFF) ? kNeedsNfc : compute_stable_class(u);
        return t;
    }();
    return table.get();
}

const std::uint64_t* inert_bmp() {
    static const std::unique_ptr<std::uint64_t[]> bits = [] {
        auto b = std::make_unique<std::uint64_t[]>(0x10000 / 64);
        for (char32_t u = 0; u < 0x10000; ++u)
            if ((u < 0xD800 || u > 0xDFFF) && compute_inert(u)) b[u / 64] |= std::uint64_t{1} << (u % 64);
        return b;
    }();
    return bits.get();
}

bool nfc_inert(char32_t c) {
    if (c < 0x300) return true;
    if (c > 0xFFFF) return compute_inert(c);
    return (inert_bmp()[c / 64] >> (c % 64)) & 1;
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

// NFC of a short piece of well-formed UTF-8, appended to `out` through `emit`.
template <class Emit>
void normalize_piece(std::string_view piece, Emit&& emit) {
    thread_local std::vector<utf8proc_int32_t> buf(64);
    const auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(piece.data());
    auto n = utf8proc_decompose_custom(bytes, static_cast<utf8proc_ssize_t>(piece.size()), buf.data(),
                                       static_cast<utf8proc_ssize_t>(buf.size()), options, nullptr, nullptr);
    if (n > static_cast<utf8proc_ssize_t>(buf.size())) {
        buf.resize(static_cast<std::size_t>(n));
        n = utf8proc_decompose_custom(bytes, static_cast<utf8proc_ssize_t>(piece.size()), buf.data(),
                                      static_cast<utf8proc_ssize_t>(buf.size()), options, nullptr, nullptr);
    }
    if (n < 0) throw std::bad_alloc();  // only UTF8PROC_ERROR_NOMEM is possible for valid input
    n = utf8proc_normalize_utf32(buf.data(), n, options);
    for (utf8proc_ssize_t i = 0; i < n; ++i) emit(static_cast<char32_t>(buf[static_cast<std::size_t>(i)]));
}

// NFC(s) through `emit(code point)`. NFC is local: the text can be cut before any inert code
// point, so only the pieces around non-inert ones (from the inert code point before them to the
// next inert one) go through utf8proc; the rest is copied. `undo(k)` removes the last k emitted
// code points (the piece's starter, already copied).
template <class Emit, class Undo>
void nfc_stream(std::string_view s, Emit&& emit, Undo&& undo) {
    std::size_t i = 0;
    std::size_t last_inert = std::string_view::npos;  // byte offset of the last copied inert cp
    while (i < s.size()) {
        const std::size_t at = i;
        const auto b = static_cast<unsigned char>(s[i]);
        const char32_t c = b < 0x80 ? (++i, static_cast<char32_t>(b)) : decode_utf8(s, i);
        if (nfc_inert(c)) {
            emit(c);
            last_inert = at;
            continue;
        }
        // A piece from the previous inert code point (already emitted: take it back) to the next one.
        std::size_t piece_start = at;
        if (last_inert != std::string_view::npos) {
            undo(1);
            piece_start = last_inert;
        }
        std::size_t j = i;
        while (j < s.size()) {
            std::size_t k = j;
            if (nfc_inert(decode_utf8(s, k))) break;
            j = k;
        }
        normalize_piece(s.substr(piece_start, j - piece_start), emit);
        last_inert = std::string_view::npos;
        i = j;
    }
}

}  // namespace

Utf16Status utf16_if_nfc_stable(std::string_view s, std::u16string& out, std::size_t& bad_offset) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    out.resize(n + 8);
    char16_t* o = out.data();
    std::size_t k = 0, i = 0;
    const std::uint8_t* stable = stable_class_bmp();
    std::uint8_t last_ccc = 0;  // combining class of the previous code point (0 for a starter)
    while (i < n) {
        const unsigned char b = p[i];
        if (b < 0x80) {
            o[k++] = b;
            ++i;
            last_ccc = 0;
            continue;
        }
        char32_t c;
        if (b >= 0xC2 && b <= 0xDF) {
            if (i + 1 >= n || (p[i + 1] & 0xC0) != 0x80) break;
            c = (static_cast<char32_t>(b & 0x1F) << 6) | (p[i + 1] & 0x3F);
            i += 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            if (i + 2 >= n || (p[i + 1] & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80) break;
            if ((b == 0xE0 && p[i + 1] < 0xA0) || (b == 0xED && p[i + 1] > 0x9F)) break;
            c = (static_cast<char32_t>(b & 0x0F) << 12) | (static_cast<char32_t>(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
            i += 3;
        } else if (b >= 0xF0 && b <= 0xF4) {
            if (i + 3 >= n || (p[i + 1] & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80 || (p[i + 3] & 0xC0) != 0x80) break;
            if ((b == 0xF0 && p[i + 1] < 0x90) || (b == 0xF4 && p[i + 1] > 0x8F)) break;
            c = (static_cast<char32_t>(b & 0x07) << 18) | (static_cast<char32_t>(p[i + 1] & 0x3F) << 12) |
                (static_cast<char32_t>(p[i + 2] & 0x3F) << 6) | (p[i + 3] & 0x3F);
            i += 4;
        } else {
            break;
        }
        const std::uint8_t cls = c < 0x10000 ? stable[c] : compute_stable_class(c);
        if (cls == kNeedsNfc || (cls != 0 && cls < last_ccc)) {
            out.clear();
            return Utf16Status::needs_nfc;
        }
        last_ccc = cls;
        if (c < 0x10000) {
            o[k++] = static_cast<char16_t>(c);
        } else {
            o[k++] = static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10));
            o[k++] = static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF));
        }
    }
    if (i < n) {
        bad_offset = find_invalid_utf8(s);
        out.clear();
        return Utf16Status::invalid;
    }
    out.resize(k);
    return Utf16Status::ok;
}

void nfc_utf16(std::string_view s, std::u16string& out) {
    out.resize(s.size() + 8);  // UTF-16 never needs more units than UTF-8 has bytes, NFC aside
    std::size_t n = 0;
    if (all_inert(s)) {
        char16_t* o = out.data();
        for (std::size_t i = 0; i < s.size();) {
            const auto b = static_cast<unsigned char>(s[i]);
            if (b < 0x80) {
                o[n++] = b;
                ++i;
                continue;
            }
            const char32_t c = decode_utf8(s, i);
            if (c < 0x10000) {
                o[n++] = static_cast<char16_t>(c);
            } else {
                o[n++] = static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10));
                o[n++] = static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF));
            }
        }
        out.resize(n);
        return;
    }
    nfc_utf16_slow(s, out);
}

void nfc_utf16_slow(std::string_view s, std::u16string& out) {
    out.clear();
    out.reserve(s.size());
    char16_t last_width = 0;
    nfc_stream(
        s,
        [&](char32_t c) {
            append_utf16(out, c);
            last_width = c >= 0x10000 ? 2 : 1;
        },
        [&](std::size_t) { out.resize(out.size() - last_width); });
}

std::string nfc(std::string_view s) {
    if (all_inert(s)) return std::string(s);
    std::string out;
    std::size_t last_width = 0;
    nfc_stream(
        s,
        [&](char32_t c) {
            const std::size_t before = out.size();
            append_utf8(out, c);
            last_width = out.size() - before;
        },
        [&](std::size_t) { out.resize(out.size() - last_width); });
    return out;
}

}  // namespace growth::text
