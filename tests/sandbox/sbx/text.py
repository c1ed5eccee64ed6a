"""Text measures as each platform's server counts them (platforms.md §1.3, 2.3, 5.3, 6.3, 7.3).

Python's standard library has no grapheme-cluster segmentation (UAX #29) and no emoji data, so
`graphemes()` approximates UAX #29 with `unicodedata` categories plus the handful of fixed code-point
ranges the rules name. It is exact for Latin/Greek/Cyrillic/CJK text, combining marks, Hangul jamo,
regional-indicator flags, keycaps, skin tones, tag sequences and ZWJ emoji sequences; it differs from
UAX #29 only for Prepend characters and the Unicode 15.1 Indic conjunct rule (GB9c), where it counts
one cluster more than the real thing. See README.md "Counting" for what each limit check does with it.
"""

import re
import unicodedata

ZWJ = 0x200D
KEYCAP = 0x20E3


def _is_extend(cp):
    if cp == ZWJ or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return True
    if 0x1F3FB <= cp <= 0x1F3FF:        # emoji modifiers (skin tones) are Grapheme_Extend
        return True
    if 0xE0020 <= cp <= 0xE007F:        # tag characters (subdivision flags)
        return True
    return unicodedata.category(chr(cp)) in ("Mn", "Me", "Mc")


def _is_ri(cp):
    return 0x1F1E6 <= cp <= 0x1F1FF


_BMP_PICTOGRAPHIC = ((0x2190, 0x21FF), (0x2300, 0x23FF), (0x25A0, 0x27BF), (0x2900, 0x297F), (0x2B00, 0x2BFF),
                     (0x3030, 0x3030), (0x303D, 0x303D), (0x3297, 0x3299))


def _is_pictographic(cp):
    # Extended_Pictographic is not in unicodedata: astral symbols, and the BMP symbol blocks that hold
    # emoji, stand in (so '°' or '©' alone are not treated as emoji).
    cat = unicodedata.category(chr(cp))
    if cp > 0xFFFF:
        return cat in ("So", "Sk", "Cn")
    return cat == "So" and any(lo <= cp <= hi for lo, hi in _BMP_PICTOGRAPHIC)


def _hangul_type(cp):
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return "L"
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return "V"
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return "T"
    if 0xAC00 <= cp <= 0xD7A3:
        return "LV" if (cp - 0xAC00) % 28 == 0 else "LVT"
    return None


def graphemes(text):
    """Split `text` into (approximate) extended grapheme clusters."""
    clusters = []
    i, n = 0, len(text)
    while i < n:
        start = i
        cp = ord(text[i])
        i += 1
        if cp == 0x0D and i < n and text[i] == "\n":
            clusters.append(text[start:i + 1])
            i += 1
            continue
        if cp in (0x0A, 0x0D) or unicodedata.category(chr(cp)) == "Cc":
            clusters.append(text[start:i])
            continue
        base_pict = _is_pictographic(cp)
        hangul = _hangul_type(cp)
        if _is_ri(cp) and i < n and _is_ri(ord(text[i])):
            i += 1
        while i < n:
            nxt = ord(text[i])
            nh = _hangul_type(nxt)
            if hangul and nh and (
                    (hangul == "L" and nh in ("L", "V", "LV", "LVT"))
                    or (hangul in ("LV", "V") and nh in ("V", "T"))
                    or (hangul in ("LVT", "T") and nh == "T")):
                hangul = nh
                i += 1
                continue
            if _is_extend(nxt):
                i += 1
                if nxt == ZWJ and base_pict and i < n and _is_pictographic(ord(text[i])):
                    i += 1          # GB11: pictographic ZWJ pictographic stays one cluster
                continue
            break
        clusters.append(text[start:i])
    return clusters


def grapheme_count(text):
    return len(graphemes(text))


def _is_emoji_cluster(cluster):
    """True for clusters that look like emoji: a pictographic base, or any emoji component."""
    cps = [ord(c) for c in cluster]
    if any(cp in (0xFE0F, KEYCAP, ZWJ) or 0x1F3FB <= cp <= 0x1F3FF or _is_ri(cp)
           or 0xE0020 <= cp <= 0xE007F for cp in cps):
        return True
    return _is_pictographic(cps[0])


# --- X (twitter-text v3) ---------------------------------------------------------------------

_X_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_SCHEME_URL = re.compile(r"https?://[^\s<>\"\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]+", re.IGNORECASE)
_BARE_DOMAIN = re.compile(r"(?<![@\w.])(?:[a-z0-9](?:[a-z0-9-]{0,62})\.)+[a-z]{2,24}(?:/[^\s<>\"]*)?",
                          re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?)]}'\""


def _trim_url(url):
    while url and url[-1] in _TRAILING_PUNCT:
        url = url[:-1]
    return url


def _valid_host(url):
    """False when the URL's host cannot be a domain (a label over 63 bytes, also after IDNA)."""
    host = re.split(r"[/?#:]", url.split("://", 1)[1], 1)[0]
    for label in host.split("."):
        try:
            if not label or len(label.encode("idna")) > 63:
                return False
        except UnicodeError:
            return False
    return True


def _x_weight_cp(cp):
    for lo, hi in _X_RANGES:
        if lo <= cp <= hi:
            return 100
    return 200


def _x_weight_plain(text):
    total = 0
    for cluster in graphemes(text):
        weights = sum(_x_weight_cp(ord(c)) for c in cluster)
        if len(cluster) > 1 and _is_emoji_cluster(cluster):
            weights = min(weights, 200)     # an emoji sequence weighs defaultWeight once
        total += weights
    return total


def x_weighted_length(text):
    """twitter-text v3 weighted length (scale 100 -> returned in characters, may be fractional).

    Exact for text without emoji; for emoji sequences and bare domains it is a lower bound (see
    README.md): a URL with a scheme counts 23, a bare domain counts min(its literal weight, 23), an
    emoji-like cluster counts min(sum of its code points, 2).
    """
    text = unicodedata.normalize("NFC", text)
    total = 0
    pos = 0
    spans = []
    for m in _SCHEME_URL.finditer(text):
        url = _trim_url(m.group(0))
        if _valid_host(url):
            spans.append((m.start(), m.start() + len(url), True))
    for m in _BARE_DOMAIN.finditer(text):
        url = _trim_url(m.group(0))
        s, e = m.start(), m.start() + len(url)
        if not any(a <= s < b for a, b, _ in spans):
            spans.append((s, e, False))
    spans.sort()
    for s, e, has_scheme in spans:
        if s < pos:
            continue
        total += _x_weight_plain(text[pos:s])
        literal = _x_weight_plain(text[s:e])
        total += 2300 if has_scheme else min(literal, 2300)
        pos = e
    total += _x_weight_plain(text[pos:])
    return total / 100


def x_has_invalid_chars(text):
    return any(c in text for c in ("\uFFFE", "\uFEFF", "\uFFFF"))


# --- Mastodon (StatusLengthValidator) ----------------------------------------------------------

_MASTODON_MENTION = re.compile(r"(?<![\w/])@(\w+(?:[.\-]+\w+)*)@[\w.\-]+\w", re.UNICODE)


def mastodon_length(status, spoiler_text=""):
    """Graphemes of spoiler_text + status, scheme URLs as 23, `@user@domain` as `@user`."""
    rewritten = _SCHEME_URL.sub(lambda m: "x" * 23 + m.group(0)[len(_trim_url(m.group(0))):], status)
    rewritten = _MASTODON_MENTION.sub(lambda m: "@" + m.group(1), rewritten)
    return grapheme_count(spoiler_text or "") + grapheme_count(rewritten)


# --- Threads -----------------------------------------------------------------------------------

def threads_length(text):
    """Characters as Threads counts them: graphemes, emoji clusters weighted by UTF-8 bytes."""
    total = 0
    for cluster in graphemes(text):
        total += len(cluster.encode("utf-8")) if _is_emoji_cluster(cluster) else 1
    return total


def unique_urls(text):
    return sorted({_trim_url(m.group(0)) for m in _SCHEME_URL.finditer(text)})


# --- LinkedIn little text --------------------------------------------------------------------

LITTLE_RESERVED = set("|{}@[]()<>#\\*_~")
_LITTLE_MENTION = re.compile(r"@\[[^\]]*\]\(urn:li:(?:person|organization):[A-Za-z0-9_-]+\)")
_LITTLE_HASHTAG = re.compile(r"\{hashtag\|[#\uFF03]\|[^}|]+\}")
_LITTLE_PLAIN_TAG = re.compile(r"#\w")


def little_text_render(commentary):
    """Render little text the way LinkedIn shows it.

    Returns (visible_text, problem): `problem` names the first unescaped reserved character that is
    not part of a construct (LinkedIn truncates the visible post there, platforms.md §2.3), and
    `visible_text` is what a reader would see.
    """
    out = []
    i, n = 0, len(commentary)
    while i < n:
        c = commentary[i]
        if c == "\\" and i + 1 < n and commentary[i + 1] in LITTLE_RESERVED:
            out.append(commentary[i + 1])
            i += 2
            continue
        if c in LITTLE_RESERVED:
            m = _LITTLE_MENTION.match(commentary, i) or _LITTLE_HASHTAG.match(commentary, i)
            if m:
                token = m.group(0)
                if token.startswith("@["):
                    out.append(token[2:token.index("]")])
                else:
                    out.append("#" + token.rsplit("|", 1)[1][:-1])
                i = m.end()
                continue
            if c == "#" and _LITTLE_PLAIN_TAG.match(commentary, i):
                out.append(c)
                i += 1
                continue
            return "".join(out), "unescaped reserved character %r at offset %d" % (c, i)
        out.append(c)
        i += 1
    return "".join(out), None


def utf16_length(text):
    return len(text.encode("utf-16-le")) // 2
