"""E-address content rules: types by content, HTML allow-list, search folding, hashes."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest

from backend.eaddress.storage.content import (
    ContentSniffer,
    content_sha256,
    fold,
    safe_filename,
    sanitise_html,
    search_document,
    search_terms,
    sniff,
)


def _asic(mimetype: str) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # stored, first, as ETSI asks
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
        archive.writestr("lēmums.pdf", b"%PDF-1.7\n")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 30, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 20, "image/jpeg"),
        (_asic("application/vnd.etsi.asic-e+zip"), "application/vnd.etsi.asic-e+zip"),
        (_asic("application/vnd.etsi.asic-s+zip"), "application/vnd.etsi.asic-s+zip"),
        ("Labdien!\nPaziņojums\tpar nodokli.\r\n".encode(), "text/plain"),
        (b"GIF89a\x01\x00\x01\x00", "image/gif"),
        (b"PK\x03\x04" + b"\0" * 60, "application/zip"),
        (b"text with a \x00 byte", None),
        (b"Latin-1 \xe9t\xe9", None),
        (b"", None),
    ],
)
def test_types_come_from_the_content(content: bytes, expected: str | None) -> None:
    assert sniff(content) == expected


def test_text_is_checked_across_chunk_boundaries() -> None:
    sniffer = ContentSniffer()
    encoded = "Paziņojums".encode()
    split = encoded.index(b"\xc5") + 1  # inside the two bytes of "ņ"
    sniffer.feed(encoded[:split])
    sniffer.feed(encoded[split:])
    assert sniffer.media_type() == "text/plain"
    broken = ContentSniffer()
    broken.feed(encoded[:split])
    assert broken.media_type() is None  # ends inside a character


def test_html_keeps_structure_and_safe_links_only() -> None:
    cleaned = sanitise_html(
        '<h2 style="color:red">Lēmums</h2><p>Skatīt <a href="https://likumi.lv" '
        'target="_blank">likumu</a> <a href="http://x.example">x</a></p>'
        '<iframe src="https://evil.example"></iframe><form><input></form><!-- c -->'
    )
    assert cleaned.startswith("<h2>Lēmums</h2>")
    assert '<a href="https://likumi.lv" rel="noopener noreferrer">likumu</a>' in cleaned
    assert 'href="http://x.example"' not in cleaned
    for gone in ("iframe", "form", "input", "style", "target", "<!--"):
        assert gone not in cleaned


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("lēmums.pdf", "lēmums.pdf"),
        ("C:\\Users\\anna\\izziņa.pdf", "izziņa.pdf"),
        ("../../etc/passwd", "passwd"),
        ('a"b\r\nc.txt', "a_bc.txt"),  # controls are dropped, quotes replaced
        ("x.pdf\u202egnp.exe", "x.pdfgnp.exe"),  # would display as "x.pdfexe.png"
        ("\u2066a\u200b\u00adb\ufeff\u2028.pdf", "ab.pdf"),
        ("le\u0304mums.pdf", "l\u0113mums.pdf"),  # NFC
        ("\ud800x.pdf", "x.pdf"),  # a lone surrogate could not even be stored
        ("\u202e\u202c", "attachment"),
        ("", "attachment"),
        ("...", "attachment"),
        ("x" * 300, "x" * 255),
    ],
)
def test_file_names_are_made_safe(name: str, expected: str) -> None:
    assert safe_filename(name) == expected
    assert safe_filename(expected) == expected  # cleaning a clean name changes nothing


def test_search_folds_case_and_diacritics_the_same_way_for_queries_and_documents() -> None:
    assert fold("PAZIŅOJUMS Ēķis Žagata") == "pazinojums ekis zagata"
    assert search_terms("Līdz 23. jūnijam — 150385-11028!") == [
        "lidz", "23", "junijam", "150385", "11028",
    ]  # fmt: skip
    assert search_document("Temats", "Teksts", ["lēmums.pdf"]) == "temats teksts lemums pdf"


def test_content_hash_covers_every_part() -> None:
    base = content_sha256("S", "B", None, ["a" * 64])
    assert len(base) == 64
    assert base == content_sha256("S", "B", None, ["a" * 64])
    for changed in (
        content_sha256("S2", "B", None, ["a" * 64]),
        content_sha256("S", "B2", None, ["a" * 64]),
        content_sha256("S", "B", "<p>B</p>", ["a" * 64]),
        content_sha256("S", "B", None, ["b" * 64]),
        content_sha256("S", "B", None, []),
    ):
        assert changed != base
