"""Corpus file bytes -> text: binary rejected, encoding detected by strict trial decoding.

Assessments are published as UTF-8 or, from older Windows tools, as CP932 (Shift_JIS with the
NEC/IBM extensions that hold ①, ㈱, 髙) or EUC-JP. Nothing is guessed: each candidate codec must
decode every byte strictly, and the candidates are tried in an order where an earlier success is
almost never a false one:

1. a byte-order mark decides (UTF-8 BOM stripped, so line 1 is still line 1; UTF-16 BOMs);
2. ISO-2022-JP, only when the bytes hold its escape sequences (otherwise it is plain ASCII);
3. UTF-8: multi-byte sequences must follow its strict lead/continuation pattern, which CP932 or
   EUC-JP Japanese text practically never does;
4. EUC-JP before CP932: CP932 text is full of lead bytes 0x81-0x9F (every hiragana and most
   punctuation), which are illegal in EUC-JP, while EUC-JP passages are often legal CP932 (倉敷市,
   住民票, あいうえお read as half-width katakana), so trying CP932 first would accept EUC-JP files
   as garbage; euc_jis_2004 after euc_jp because it also holds the row-13 symbols (①, ㈱) that
   Windows writes;
5. CP932 last, and only if no byte decodes to one of the placeholders Python's cp932 gives the
   bytes 0x80, 0xA0 and 0xFD-0xFF, which are not characters in CP932 text (random bytes would
   otherwise always "decode").
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_ISO2022_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b(I")
_CANDIDATES = ("utf-8", "euc_jp", "euc_jis_2004", "cp932")
_CP932_PLACEHOLDERS = {0x80: "\x80", 0xA0: "\uf8f0", 0xFD: "\uf8f1", 0xFE: "\uf8f2", 0xFF: "\uf8f3"}
# C0 controls other than TAB, LF, VT, FF, CR and ESC, plus DEL: text never needs them
_CONTROL = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
# more than 1 control byte in 100 is not text (real assessments have none; PDF text may have form feeds,
# which are not counted); a single NUL is enough on its own since no supported encoding produces one
MAX_CONTROL_SHARE = 0.01
CODEC_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16", "iso2022_jp": "ISO-2022-JP",
               "euc_jp": "EUC-JP", "euc_jis_2004": "EUC-JP (JIS X 0213)", "cp932": "CP932/Shift_JIS"}


class DecodeError(ValueError):
    """The bytes are not text in any supported encoding."""


@dataclass(frozen=True)
class Decoded:
    """A file's text and the encoding it was read with."""

    text: str
    encoding: str  # a Python codec name, e.g. "cp932"

    @property
    def encoding_name(self) -> str:
        """The encoding as people call it (CP932/Shift_JIS, UTF-8 with BOM …)."""
        return CODEC_NAMES.get(self.encoding, self.encoding)


def binary_reason(data: bytes) -> str | None:
    """Why these bytes are binary rather than text, or None when they may be text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None  # UTF-16 text is full of NUL bytes by design
    if b"\x00" in data:
        return f"binary data (NUL byte at offset {data.index(0)}), not text"
    controls = len(data) - len(data.translate(None, _CONTROL))
    if data and controls / len(data) > MAX_CONTROL_SHARE:
        return f"binary data ({controls} control bytes in {len(data)}), not text"
    return None


def decode(data: bytes) -> Decoded:
    """The text of `data` (see the module docstring for the order); DecodeError when none fits."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), codec)
            except UnicodeDecodeError as e:
                raise DecodeError(f"starts with a {CODEC_NAMES[codec]} byte-order mark but is not "
                                  f"{CODEC_NAMES[codec]}: {_where(e)}") from None
    candidates = (("iso2022_jp",) if any(esc in data for esc in _ISO2022_ESCAPES) else ()) + _CANDIDATES
    failures = []
    for codec in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as e:
            failures.append(f"{CODEC_NAMES[codec]}: {_where(e)}")
            continue
        if codec == "cp932" and (bad := _cp932_placeholder(text)) is not None:
            failures.append(f"{CODEC_NAMES[codec]}: {bad}")
            continue
        return Decoded(text, codec)
    raise DecodeError("not UTF-8, CP932/Shift_JIS or EUC-JP text (" + "; ".join((failures[0], failures[-1])) + ")")


def _cp932_placeholder(text: str) -> str | None:
    """"byte 0xff is not a character" when CP932 decoding produced a placeholder, else None."""
    for byte, char in _CP932_PLACEHOLDERS.items():
        if char in text:
            return f"byte 0x{byte:02x} is not a character"
    return None


def _where(e: UnicodeDecodeError) -> str:
    """"invalid byte 0x93 at offset 12" from a decoding error."""
    return f"invalid byte 0x{e.object[e.start]:02x} at offset {e.start}"
