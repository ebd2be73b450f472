"""Message content rules: attachment types by content, HTML allow-list, search folding, hashes."""

from __future__ import annotations

import codecs
import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence

import filetype
import nh3

SNIFF_BYTES = 8192
TEXT_PLAIN = "text/plain"
ASIC_E = "application/vnd.etsi.asic-e+zip"
ASIC_S = "application/vnd.etsi.asic-s+zip"
# A text file may hold tabs, line breaks and form feeds; other control characters mean binary.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# What an institution's HTML body may contain: text structure and https/mailto links. No
# images (tracking pixels), no styles, no forms, no scripts.
HTML_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "ul", "ol", "li", "a",
    "h1", "h2", "h3", "h4", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "hr",
    "pre", "code", "sub", "sup", "small", "span", "div", "dl", "dt", "dd",
}  # fmt: skip
HTML_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"https", "mailto"}


class ContentSniffer:
    """Decides an upload's media type from its bytes, fed chunk by chunk.

    Binary formats are recognised by their signature (the `filetype` package, plus ASiC
    signature containers, which are ZIP files whose first entry is `mimetype`); anything else
    is plain text only if the whole of it is valid UTF-8 without control characters.
    """

    def __init__(self) -> None:
        self._head = bytearray()
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._text = True

    def feed(self, chunk: bytes) -> None:
        if len(self._head) < SNIFF_BYTES:
            self._head.extend(chunk[: SNIFF_BYTES - len(self._head)])
        if self._text:
            try:
                if _CONTROL.search(self._decoder.decode(chunk)):
                    self._text = False
            except UnicodeDecodeError:
                self._text = False

    def media_type(self) -> str | None:
        head = bytes(self._head)
        if not head:
            return None
        if head.startswith(b"PK\x03\x04") and head[30:38] == b"mimetype":
            declared = head[38:80]
            for asic in (ASIC_E, ASIC_S):
                if declared.startswith(asic.encode("ascii")):
                    return asic
        guessed = filetype.guess_mime(head)
        if guessed:
            return str(guessed)
        if self._text:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return None
            return TEXT_PLAIN
        return None


def sniff(data: bytes) -> str | None:
    sniffer = ContentSniffer()
    sniffer.feed(data)
    return sniffer.media_type()


def sanitise_html(html: str) -> str:
    """Keep only the allow-listed structure; links get rel="noopener noreferrer"."""
    return nh3.clean(
        html,
        tags=HTML_TAGS,
        attributes=HTML_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# What changes how a name displays without being part of it: format characters (Cf:
# bidirectional overrides and isolates, zero-width spaces and joiners, soft hyphens, byte
# order marks), control characters (Cc), line and paragraph separators (Zl, Zp) and lone
# surrogates (Cs, which no database column can even store).
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
_UNSAFE_FILENAME = re.compile(r'[/\\"]+')


def safe_filename(name: str | None, fallback: str = "attachment") -> str:
    """The name a file is stored, shown and downloaded under: NFC-normalised, without
    invisible or direction-changing characters ("x.pdf", U+202E, "gnp.exe" displays as
    "x.pdfexe.png"), the last path component, no quotes, at most 255 characters. Applying it
    again changes nothing."""
    text = unicodedata.normalize("NFC", name or "")
    visible = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
    base = visible.replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE_FILENAME.sub("_", base).strip(" .")
    return (base or fallback)[:255]


# Combining marks that Latin (and Cyrillic) letters decompose into: ā ē ī ū (macron), č š ž
# (caron), ģ ķ ļ ņ (cedilla / comma below), й (breve)… Removed in C, not character by character.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without diacritics: "Paziņojums" → "pazinojums" (what search compares)."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


_WORD = re.compile(r"[^\W_]+")
MAX_SEARCH_DOCUMENT_CHARS = 200_000


def search_terms(text: str) -> list[str]:
    """Folded words of `text`, split the same way for documents and queries on both engines."""
    return _WORD.findall(fold(text))


def search_document(subject: str, body: str, filenames: Sequence[str] = ()) -> str:
    """What the full-text index sees: folded words separated by single spaces."""
    words = search_terms("\n".join([subject, body, *filenames]))
    return " ".join(words)[:MAX_SEARCH_DOCUMENT_CHARS]


def content_sha256(
    subject: str, body_text: str, body_html: str | None, attachment_sha256s: Sequence[str]
) -> str:
    """A hash over everything the sender said, in a canonical form the proof refers to."""
    canonical = json.dumps(
        {
            "subject": subject,
            "body_text": body_text,
            "body_html": body_html,
            "attachments": list(attachment_sha256s),
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
