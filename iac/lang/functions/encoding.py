"""Encoding functions: base64decode, base64encode, base64gzip, csvdecode, jsondecode, jsonencode,
textdecodebase64, textencodebase64, urlencode, yamldecode, yamlencode.

Terraform's implementations are Go's: base64 is `encoding/base64` (standard alphabet, padding required,
`\\r` and `\\n` skipped while decoding), `urlencode` is `url.QueryEscape`, the text encodings are
golang.org/x/text's (looked up by IANA name), `jsonencode`/`jsondecode` are go-cty's JSON (Go's
`encoding/json` string escaping), `csvdecode` is Go's `encoding/csv`, and the YAML functions are
go-cty-yaml's (a libyaml port). Each is mirrored here byte for byte.
"""

from __future__ import annotations

import base64
import codecs
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote_plus

from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.functions import FunctionError, Param, builtin
from iac.lang.numbers import is_infinite

__all__ = ["CorruptInputError", "go_base64_decode"]


# -- base64 (Go's encoding/base64, StdEncoding) -------------------------------------------------------------

_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_DECODE_MAP = {c: i for i, c in enumerate(_ALPHABET)}


class CorruptInputError(ValueError):
    """Go's base64.CorruptInputError: the byte offset of the first illegal input."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"illegal base64 data at input byte {offset}")
        self.offset = offset


def go_base64_decode(src: bytes) -> bytes:
    """`base64.StdEncoding.DecodeString`: padding required, `\\r`/`\\n` ignored anywhere, trailing bits
    not checked, and Go's error offsets."""
    out = bytearray()
    si = 0
    while si < len(src):
        si, chunk = _decode_quantum(src, si)
        out += chunk
    return bytes(out)


def _decode_quantum(src: bytes, si: int) -> tuple[int, bytes]:
    dbuf = [0, 0, 0, 0]
    dlen = 4
    j = 0
    while j < 4:
        if si == len(src):
            if j == 0:
                return si, b""
            raise CorruptInputError(si - j)
        char = src[si]
        si += 1
        value = _DECODE_MAP.get(char)
        if value is not None:
            dbuf[j] = value
            j += 1
            continue
        if char in (0x0A, 0x0D):
            continue
        if char != 0x3D:  # '='
            raise CorruptInputError(si - 1)
        if j in (0, 1):
            raise CorruptInputError(si - 1)
        if j == 2:  # "==" expected: the first "=" is consumed
            while si < len(src) and src[si] in (0x0A, 0x0D):
                si += 1
            if si == len(src):
                raise CorruptInputError(len(src))
            if src[si] != 0x3D:
                raise CorruptInputError(si - 1)
            si += 1
        while si < len(src) and src[si] in (0x0A, 0x0D):
            si += 1
        if si < len(src):
            raise CorruptInputError(si)
        dlen = j
        break
    val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3]
    decoded = bytes([(val >> 16) & 0xFF, (val >> 8) & 0xFF, val & 0xFF])
    return si, decoded[: dlen - 1]


def _redact(text: str, marks: frozenset[str]) -> str:
    """Terraform's redactIfSensitive: the quoted text, or "(sensitive value)"."""
    from iac._go import go_quote

    return "(sensitive value)" if cty.SENSITIVE in marks else go_quote(text)


def nfc(text: str) -> str:
    """cty.StringVal normalises every string to NFC: so do results built from bytes."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


@builtin("base64decode", [Param("str", cty.STRING, allow_marked=True, allow_unknown=True)], returns=cty.STRING)
def base64decode(text: Value) -> Value:
    """Decodes standard base64 to UTF-8 text; invalid base64 or invalid UTF-8 is an error (the input is
    quoted in the message unless sensitive)."""
    inner, marks = text.unmark()
    if not inner.is_known:
        return cty.unknown(cty.STRING).mark(marks)
    try:
        data = go_base64_decode(inner.v.encode("utf-8"))
    except CorruptInputError as error:
        raise FunctionError(f"failed to decode base64 data {_redact(inner.v, marks)}") from error
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FunctionError("the result of decoding the provided string is not valid UTF-8") from error
    return cty.string(nfc(decoded)).mark(marks)


@builtin("base64encode", [Param("str", cty.STRING)], returns=cty.STRING)
def base64encode(text: Value) -> Value:
    return cty.string(base64.b64encode(text.v.encode("utf-8")).decode("ascii"))


@builtin("base64gzip", [Param("str", cty.STRING)], returns=cty.STRING)
def base64gzip(text: Value) -> Value:
    """gzip (Go's compress/gzip at the default level, flushed then closed), then base64."""
    return cty.string(base64.b64encode(go_gzip(text.v.encode("utf-8"))).decode("ascii"))


@builtin("urlencode", [Param("str", cty.STRING)], returns=cty.STRING)
def urlencode(text: Value) -> Value:
    """Go's url.QueryEscape: letters, digits and `-_.~` kept, space as `+`, every other UTF-8 byte %XX."""
    return cty.string(quote_plus(text.v, safe="", encoding="utf-8"))


# -- text encodings (golang.org/x/text/encoding/ianaindex) ---------------------------------------------------


@dataclass(frozen=True)
class _TextEncoding:
    iana_name: str
    encode: Callable[[str], bytes]
    decode: Callable[[bytes], str]


def _codec(name: str) -> tuple[Callable[[str], bytes], Callable[[bytes], str]]:
    return (lambda text: text.encode(name)), (lambda data: data.decode(name))


def _charmap(base: str | None, overrides: Mapping[int, int | None]) -> tuple[Callable[[str], bytes],
                                                                         Callable[[bytes], str]]:
    """A single-byte table as x/text has it: Python's codec `base` with some bytes changed (`None`:
    undefined in Go)."""
    table = [bytes([b]).decode(base or "latin_1", errors="replace") for b in range(256)]
    for byte, code in overrides.items():
        table[byte] = "\ufffe" if code is None else chr(code)
    table = ["\ufffe" if c == "\ufffd" else c for c in table]
    decoding = "".join(table)
    encoding = codecs.charmap_build(decoding)
    return (lambda text: codecs.charmap_encode(text, "strict", encoding)[0]), \
        (lambda data: codecs.charmap_decode(data, "strict", decoding)[0])


def _utf16_with_bom() -> tuple[Callable[[str], bytes], Callable[[bytes], str]]:
    """x/text's UTF16(BigEndian, UseBOM): writes a BOM; reads one (either order) if present, else big-endian."""

    def decode(data: bytes) -> str:
        if data[:2] == b"\xff\xfe":
            return data[2:].decode("utf-16-le")
        if data[:2] == b"\xfe\xff":
            data = data[2:]
        return data.decode("utf-16-be")

    return (lambda text: b"\xfe\xff" + text.encode("utf-16-be")), decode


def _ascii() -> tuple[Callable[[str], bytes], Callable[[bytes], str]]:
    return (lambda text: text.encode("ascii")), (lambda data: data.decode("ascii"))


def _hz() -> tuple[Callable[[str], bytes], Callable[[bytes], str]]:
    """x/text's HZ-GB-2312: GB2312 pairs between `~{` and `~}`, `~~` for a tilde; the encoder does not
    close a final GB run, and encodes the euro sign as GBK's A2E3."""

    def encode(text: str) -> bytes:
        out = bytearray()
        gb = False
        for char in text:
            if char == "~":  # written as ~~ in either mode, without leaving GB mode
                out += b"~~"
                continue
            if ord(char) < 0x80:
                if gb:
                    out += b"~}"
                    gb = False
                out += char.encode("ascii")
                continue
            pair = b"\xa2\xe3" if char == "\u20ac" else char.encode("gbk")
            if len(pair) != 2 or not (0xA1 <= pair[0] <= 0xF7 and pair[1] >= 0xA1):
                raise UnicodeEncodeError("hz", text, 0, 1, "not in GB2312")
            if not gb:
                out += b"~{"
                gb = True
            out += bytes([pair[0] & 0x7F, pair[1] & 0x7F])
        return bytes(out)

    def decode(data: bytes) -> str:
        out: list[str] = []
        gb = False
        i = 0
        while i < len(data):
            if data[i:i + 1] == b"~":
                marker = data[i + 1:i + 2]
                if marker == b"~" and not gb:
                    out.append("~")
                elif marker == b"{":
                    gb = True
                elif marker == b"}":
                    gb = False
                elif marker == b"\n" and not gb:
                    pass
                else:
                    raise UnicodeDecodeError("hz", data, i, i + 2, "invalid escape")
                i += 2
            elif gb:
                pair = bytes([data[i] | 0x80, data[i + 1] | 0x80]) if i + 1 < len(data) else b"\xff"
                out.append("\u20ac" if pair == b"\xa2\xe3" else pair.decode("gbk"))
                i += 2
            else:
                out.append(data[i:i + 1].decode("ascii"))
                i += 1
        return "".join(out)

    return encode, decode


def _big5() -> tuple[Callable[[str], bytes], Callable[[bytes], str]]:
    """WHATWG Big5 (x/text): the HKSCS-2008 table, plus the euro sign at A3E1. (Python's table is close to
    WHATWG's; a few symbols of the A1-A2 rows, such as U+00A3, may still differ.)"""

    def encode(text: str) -> bytes:
        return b"".join(b"\xa3\xe1" if char == "\u20ac" else char.encode("big5hkscs") for char in text)

    def decode(data: bytes) -> str:
        return "\u20ac".join(part.decode("big5hkscs") for part in _split_units(data, b"\xa3\xe1"))

    return encode, decode


def _split_units(data: bytes, unit: bytes) -> list[bytes]:
    """`data` split at each occurrence of the two-byte `unit` that starts a character (single bytes below
    0x80, pairs otherwise)."""
    parts: list[bytes] = []
    start = i = 0
    while i < len(data):
        if data[i] < 0x80:
            i += 1
        elif data[i:i + 2] == unit:
            parts.append(data[start:i])
            i += 2
            start = i
        else:
            i += 2
    parts.append(data[start:])
    return parts


def _gbk() -> tuple[Callable[[str], bytes], Callable[[bytes], str]]:
    """WHATWG GBK (x/text): Python's GBK, plus the euro sign: written as the single byte 0x80, read from
    0x80 or A2E3."""

    def encode(text: str) -> bytes:
        return b"".join(b"\x80" if char == "\u20ac" else _checked_encode(char, "gbk") for char in text)

    def decode(data: bytes) -> str:
        out: list[str] = []
        i = 0
        while i < len(data):
            if data[i] < 0x80:
                out.append(chr(data[i]))
                i += 1
            elif data[i] == 0x80:
                out.append("\u20ac")
                i += 1
            else:
                unit = data[i:i + 2]
                out.append("\u20ac" if unit == b"\xa2\xe3" else _checked_decode(unit, "gbk"))
                i += 2
        return "".join(out)

    return encode, decode


def _private_use(text: str) -> bool:
    """WHATWG's GBK and GB18030 indexes leave the user-defined areas out: Python maps them to private use
    characters, x/text has no mapping (an error both ways)."""
    return any("\ue000" <= char <= "\uf8ff" for char in text)


def _checked_decode(data: bytes, codec: str) -> str:
    text = data.decode(codec)
    if _private_use(text):
        raise UnicodeDecodeError(codec, data, 0, len(data), "user-defined area")
    return text


def _checked_encode(text: str, codec: str) -> bytes:
    if _private_use(text):
        raise UnicodeEncodeError(codec, text, 0, len(text), "user-defined area")
    return text.encode(codec)


def _gb18030() -> tuple[Callable[[str], bytes], Callable[[bytes], str]]:
    """WHATWG GB18030 (x/text): Python's codec, the single byte 0x80 read as the euro sign."""

    def decode(data: bytes) -> str:
        return "\u20ac".join(_checked_decode(part, "gb18030") for part in _split_gb18030_euro(data))

    return (lambda text: _checked_encode(text, "gb18030")), decode


def _split_gb18030_euro(data: bytes) -> list[bytes]:
    """`data` split at every single-byte 0x80 character (not inside a two- or four-byte sequence)."""
    parts: list[bytes] = []
    start = i = 0
    while i < len(data):
        byte = data[i]
        if byte == 0x80:
            parts.append(data[start:i])
            i += 1
            start = i
        elif byte < 0x80 or byte == 0xFF:
            i += 1
        else:
            i += 4 if i + 1 < len(data) and 0x30 <= data[i + 1] <= 0x39 else 2
    parts.append(data[start:])
    return parts


def _euc_jp() -> tuple[Callable[[str], bytes], Callable[[bytes], str]]:
    """x/text's EUC-JP: JIS X 0208 as WHATWG's table has it (CP932's, with the NEC row 13 extension),
    half-width katakana after 0x8E and JIS X 0212 after 0x8F (Python's euc_jp for those two)."""

    def encode(text: str) -> bytes:
        out = bytearray()
        for char in text:
            if ord(char) < 0x80:
                out.append(ord(char))
                continue
            sjis = _cp932_char(char)
            if len(sjis) == 2:
                row, cell = _sjis_to_jis(sjis[0], sjis[1])
                if 0x21 <= row <= 0x7E:
                    out += bytes([row | 0x80, cell | 0x80])
                    continue
            try:
                euc = char.encode("euc_jp")
            except UnicodeEncodeError:
                euc = b""
            if euc[:1] not in (b"\x8e", b"\x8f"):
                raise UnicodeEncodeError("euc_jp", text, 0, 1, "not in EUC-JP")
            out += euc
        return bytes(out)

    def decode(data: bytes) -> str:
        out: list[str] = []
        i = 0
        while i < len(data):
            size = 1 if data[i] < 0x80 else 3 if data[i] == 0x8F else 2
            unit = data[i:i + size]
            if size == 2 and len(unit) == 2 and 0xA1 <= unit[0] <= 0xFE and 0xA1 <= unit[1] <= 0xFE:
                char = _jis_to_sjis(unit[0] & 0x7F, unit[1] & 0x7F).decode("cp932")
                if _private_use(char):
                    raise UnicodeDecodeError("euc_jp", data, i, i + 2, "not in EUC-JP")
                out.append(char)
            else:
                out.append(unit.decode("euc_jp"))
            i += size
        return "".join(out)

    return encode, decode


def _iso2022_jp() -> tuple[Callable[[str], bytes], Callable[[bytes], str]]:
    """x/text's ISO-2022-JP: ASCII, and JIS X 0208 (WHATWG's table, as for EUC-JP) after ESC $ B; the
    encoder returns to ASCII at the end."""

    def encode(text: str) -> bytes:
        out = bytearray()
        jis = False
        for char in text:
            if ord(char) < 0x80:
                if jis:
                    out += b"\x1b(B"
                    jis = False
                out.append(ord(char))
                continue
            sjis = _cp932_char(char)
            row, cell = _sjis_to_jis(sjis[0], sjis[1]) if len(sjis) == 2 else (0, 0)
            if not 0x21 <= row <= 0x7E:
                raise UnicodeEncodeError("iso2022_jp", text, 0, 1, "not in ISO-2022-JP")
            if not jis:
                out += b"\x1b$B"
                jis = True
            out += bytes([row, cell])
        if jis:
            out += b"\x1b(B"
        return bytes(out)

    def decode(data: bytes) -> str:
        out: list[str] = []
        mode = "ascii"
        i = 0
        modes = {b"\x1b(B": "ascii", b"\x1b(J": "roman", b"\x1b$@": "jis", b"\x1b$B": "jis", b"\x1b(I": "kana"}
        while i < len(data):
            if data[i] == 0x1B:
                mode = modes.get(data[i:i + 3], "")
                if not mode:
                    raise UnicodeDecodeError("iso2022_jp", data, i, i + 1, "invalid escape")
                i += 3
            elif data[i] >= 0x80 or data[i] in (0x0E, 0x0F):
                raise UnicodeDecodeError("iso2022_jp", data, i, i + 1, "invalid byte")
            elif mode == "jis" and data[i] not in (0x0A, 0x0D):
                if i + 1 >= len(data):
                    raise UnicodeDecodeError("iso2022_jp", data, i, i + 1, "truncated")
                char = _jis_to_sjis(data[i], data[i + 1]).decode("cp932")
                if _private_use(char):
                    raise UnicodeDecodeError("iso2022_jp", data, i, i + 2, "undefined")
                out.append(char)
                i += 2
            else:
                byte = data[i]
                if mode == "kana" and 0x21 <= byte <= 0x5F:  # (ESC ( J reads as ASCII in x/text)
                    out.append(chr(0xFF61 + byte - 0x21))
                else:
                    out.append(chr(byte))
                i += 1
        return "".join(out)

    return encode, decode


def _cp932_char(char: str) -> bytes:
    """CP932's bytes for one character, b"" where WHATWG's table has none: Python's codec also encodes
    some look-alikes one way (U+00A3 as FULLWIDTH POUND SIGN's 8192, U+301C as 8160, ...)."""
    if char in _CP932_PRIVATE or "\ue000" <= char <= "\uf8ff":
        return b""
    try:
        data = char.encode("cp932")
    except UnicodeEncodeError:
        return b""
    return data if data.decode("cp932") == char else b""


def _sjis_to_jis(s1: int, s2: int) -> tuple[int, int]:
    s1 -= 0x40 if s1 >= 0xE0 else 0
    s1 -= 0x81
    if s2 >= 0x9F:
        return s1 * 2 + 0x22, s2 - 0x7E
    return s1 * 2 + 0x21, s2 - 0x1F - (1 if s2 >= 0x80 else 0)


def _jis_to_sjis(j1: int, j2: int) -> bytes:
    s2 = (j2 + 0x1F + (1 if j2 >= 0x60 else 0)) if j1 % 2 else j2 + 0x7E
    return bytes([((j1 + 1) >> 1) + (0x70 if j1 < 0x5F else 0xB0), s2])


_CP932_PRIVATE = frozenset("\uf8f0\uf8f1\uf8f2\uf8f3")


def _shift_jis() -> tuple[Callable[[str], bytes], Callable[[bytes], str]]:
    """WHATWG Shift_JIS (x/text) is Microsoft's CP932, without the single bytes A0 and FD-FF that
    Python maps to private-use characters."""

    def encode(text: str) -> bytes:
        out = bytearray()
        for char in text:
            data = _cp932_char(char)
            if not data:
                raise UnicodeEncodeError("shift_jis", text, 0, 1, "not in Shift_JIS")
            out += data
        return bytes(out)

    def decode(data: bytes) -> str:
        text = data.decode("cp932")
        if _private_use(text):  # the user-defined area and the single bytes A0, FD-FF
            raise UnicodeDecodeError("shift_jis", data, 0, 1, "not in Shift_JIS")
        return text

    return encode, decode


_C1_UNDEFINED: dict[int, int | None] = dict.fromkeys(range(0x80, 0xA0))
_IBM1047: dict[int, int | None] = {0x5F: 0x5E, 0xAD: 0x5B, 0xB0: 0xAC, 0xBA: 0xDD, 0xBB: 0xA8, 0xBD: 0x5D}


def _build_encodings() -> dict[str, _TextEncoding]:
    """Lowercase IANA name or alias -> encoding, for the encodings golang.org/x/text supports."""
    table: list[tuple[str, tuple[Callable[[str], bytes], Callable[[bytes], str]], str]] = [
        ("US-ASCII", _ascii(), "us-ascii iso-ir-6 ansi_x3.4-1968 ansi_x3.4-1986 iso_646.irv:1991 iso646-us us ibm367 "
                               "cp367 csascii"),
        ("UTF-8", _codec("utf-8"), "utf-8 csutf8"),
        ("UTF-16", _utf16_with_bom(), "utf-16 csutf16"),
        ("UTF-16BE", _codec("utf-16-be"), "utf-16be csutf16be"),
        ("UTF-16LE", _codec("utf-16-le"), "utf-16le csutf16le"),
        ("ISO_8859-1:1987", _charmap("latin_1", {}),
         "iso_8859-1:1987 iso-ir-100 iso_8859-1 iso-8859-1 latin1 l1 ibm819 cp819 csisolatin1"),
        ("ISO_8859-2:1987", _charmap("iso8859_2", _C1_UNDEFINED),
         "iso_8859-2:1987 iso-ir-101 iso_8859-2 iso-8859-2 latin2 l2 csisolatin2"),
        ("ISO_8859-3:1988", _charmap("iso8859_3", _C1_UNDEFINED),
         "iso_8859-3:1988 iso-ir-109 iso_8859-3 iso-8859-3 latin3 l3 csisolatin3"),
        ("ISO_8859-4:1988", _charmap("iso8859_4", _C1_UNDEFINED),
         "iso_8859-4:1988 iso-ir-110 iso_8859-4 iso-8859-4 latin4 l4 csisolatin4"),
        ("ISO_8859-5:1988", _charmap("iso8859_5", _C1_UNDEFINED),
         "iso_8859-5:1988 iso-ir-144 iso_8859-5 iso-8859-5 cyrillic csisolatincyrillic"),
        ("ISO_8859-6:1987", _charmap("iso8859_6", _C1_UNDEFINED),
         "iso_8859-6:1987 iso-ir-127 iso_8859-6 iso-8859-6 ecma-114 asmo-708 arabic csisolatinarabic"),
        ("ISO_8859-6-E", _charmap("iso8859_6", _C1_UNDEFINED), "iso_8859-6-e csiso88596e iso-8859-6-e"),
        ("ISO_8859-6-I", _charmap("iso8859_6", _C1_UNDEFINED), "iso_8859-6-i csiso88596i iso-8859-6-i"),
        ("ISO_8859-7:1987", _charmap("iso8859_7", _C1_UNDEFINED),
         "iso_8859-7:1987 iso-ir-126 iso_8859-7 iso-8859-7 elot_928 ecma-118 greek greek8 csisolatingreek"),
        ("ISO_8859-8:1988", _charmap("iso8859_8", _C1_UNDEFINED),
         "iso_8859-8:1988 iso-ir-138 iso_8859-8 iso-8859-8 hebrew csisolatinhebrew"),
        ("ISO_8859-8-E", _charmap("iso8859_8", _C1_UNDEFINED), "iso_8859-8-e csiso88598e iso-8859-8-e"),
        ("ISO_8859-8-I", _charmap("iso8859_8", _C1_UNDEFINED), "iso_8859-8-i csiso88598i iso-8859-8-i"),
        ("ISO_8859-9:1989", _charmap("iso8859_9", {}),
         "iso_8859-9:1989 iso-ir-148 iso_8859-9 iso-8859-9 latin5 l5 csisolatin5"),
        ("ISO-8859-10", _charmap("iso8859_10", _C1_UNDEFINED),
         "iso-8859-10 iso-ir-157 l6 iso_8859-10:1992 csisolatin6 latin6"),
        ("ISO-8859-13", _charmap("iso8859_13", _C1_UNDEFINED), "iso-8859-13 csiso885913"),
        ("ISO-8859-14", _charmap("iso8859_14", _C1_UNDEFINED),
         "iso-8859-14 iso-ir-199 iso_8859-14:1998 iso_8859-14 latin8 iso-celtic l8 csiso885914"),
        ("ISO-8859-15", _charmap("iso8859_15", _C1_UNDEFINED), "iso-8859-15 iso_8859-15 latin-9 csiso885915"),
        ("ISO-8859-16", _charmap("iso8859_16", _C1_UNDEFINED),
         "iso-8859-16 iso-ir-226 iso_8859-16:2001 iso_8859-16 latin10 l10 csiso885916"),
        ("KOI8-R", _charmap("koi8_r", {}), "koi8-r cskoi8r"),
        ("KOI8-U", _charmap("koi8_u", {0xAE: 0x045E, 0xBE: 0x040E}), "koi8-u cskoi8u"),
        ("macintosh", _charmap("mac_roman", {}), "macintosh mac csmacintosh"),
        ("windows-874", _charmap("cp874", {}), "windows-874 cswindows874"),
        *((f"windows-125{n}", _charmap(f"cp125{n}", {0xCA: 0x05BA} if n == 5 else {}),
           f"windows-125{n} cswindows125{n}") for n in range(9)),
        ("IBM037", _charmap("cp037", {}), "ibm037 cp037 ebcdic-cp-us ebcdic-cp-ca ebcdic-cp-wt ebcdic-cp-nl csibm037"),
        ("IBM437", _charmap("cp437", {}), "ibm437 cp437 437 cspc8codepage437"),
        ("IBM850", _charmap("cp850", {}), "ibm850 cp850 850 cspc850multilingual"),
        ("IBM852", _charmap("cp852", {}), "ibm852 cp852 852 cspcp852"),
        ("IBM855", _charmap("cp855", {}), "ibm855 cp855 855 csibm855"),
        ("IBM00858", _charmap("cp858", {}), "ibm00858 ccsid00858 cp00858 pc-multilingual-850+euro csibm00858"),
        ("IBM860", _charmap("cp860", {}), "ibm860 cp860 860 csibm860"),
        ("IBM862", _charmap("cp862", {}), "ibm862 cp862 862 cspc862latinhebrew"),
        ("IBM863", _charmap("cp863", {}), "ibm863 cp863 863 csibm863"),
        ("IBM865", _charmap("cp865", {}), "ibm865 cp865 865 csibm865"),
        ("IBM866", _charmap("cp866", {}), "ibm866 cp866 866 csibm866"),
        ("IBM1047", _charmap("cp037", _IBM1047), "ibm1047 ibm-1047 csibm1047"),
        ("IBM01140", _charmap("cp1140", {}), "ibm01140 ccsid01140 cp01140 ebcdic-us-37+euro csibm01140"),
        ("Shift_JIS", _shift_jis(), "shift_jis ms_kanji csshiftjis"),
        ("Extended_UNIX_Code_Packed_Format_for_Japanese", _euc_jp(),
         "extended_unix_code_packed_format_for_japanese cseucpkdfmtjapanese euc-jp"),
        ("ISO-2022-JP", _iso2022_jp(), "iso-2022-jp csiso2022jp"),
        ("EUC-KR", _codec("cp949"), "euc-kr cseuckr"),
        ("GBK", _gbk(), "gbk cp936 ms936 windows-936 csgbk"),
        ("GB18030", _gb18030(), "gb18030 csgb18030"),
        ("HZ-GB-2312", _hz(), "hz-gb-2312"),
        ("Big5", _big5(), "big5 csbig5"),
    ]
    out: dict[str, _TextEncoding] = {}
    for iana_name, (encode, decode), aliases in table:
        for alias in aliases.split():
            out[alias] = _TextEncoding(iana_name, encode, decode)
    return out


_ENCODINGS: dict[str, _TextEncoding] | None = None


def _text_encoding(name: str, argument: int) -> _TextEncoding:
    """ianaindex.IANA.Encoding: surrounding whitespace trimmed, case-insensitive."""
    global _ENCODINGS
    if _ENCODINGS is None:
        _ENCODINGS = _build_encodings()
    found = _ENCODINGS.get(name.strip(" \t\n\v\f\r\x85\xa0").lower())
    if found is None:
        from iac._go import go_quote

        raise FunctionError(f"{go_quote(name)} is not a supported IANA encoding name or alias in this Terraform "
                            "version", argument=argument)
    return found


@builtin("textencodebase64", [Param("string", cty.STRING), Param("encoding", cty.STRING)], returns=cty.STRING)
def textencodebase64(text: Value, encoding: Value) -> Value:
    """Encodes the string in the named IANA encoding, then base64. A character the encoding cannot
    represent is an error."""
    target = _text_encoding(encoding.v, 1)
    try:
        data = target.encode(text.v)
    except UnicodeEncodeError as error:
        raise FunctionError(f"the given string contains characters that cannot be represented in {target.iana_name}",
                            argument=0) from error
    return cty.string(base64.b64encode(data).decode("ascii"))


@builtin("textdecodebase64", [Param("source", cty.STRING), Param("encoding", cty.STRING)], returns=cty.STRING)
def textdecodebase64(source: Value, encoding: Value) -> Value:
    """Decodes base64, then reads the bytes in the named IANA encoding. Bytes the encoding does not define
    (and any U+FFFD in the result) are an error."""
    target = _text_encoding(encoding.v, 1)
    try:
        data = go_base64_decode(source.v.encode("utf-8"))
    except CorruptInputError as error:
        raise FunctionError(f"the given value is has an invalid base64 symbol at offset {error.offset}",
                            argument=0) from error
    try:
        decoded = target.decode(data)
    except UnicodeDecodeError as error:
        raise FunctionError(f"the given string contains symbols that are not defined for {target.iana_name}",
                            argument=0) from error
    if "\ufffd" in decoded:
        raise FunctionError(f"the given string contains symbols that are not defined for {target.iana_name}",
                            argument=0)
    return cty.string(nfc(decoded))


# -- gzip as Go's compress/gzip writes it ---------------------------------------------------------------------
# Terraform's base64gzip bytes come from Go's own DEFLATE compressor (compress/flate, level 6), which
# chooses matches and blocks differently from zlib; what follows reproduces it step by step: the lazy
# matcher with its hash chains, the per-block choice of stored / fixed / dynamic Huffman coding, Go's
# length-limited Huffman code construction, and the empty stored blocks written by Flush and Close.

_WINDOW_SIZE = 1 << 15
_WINDOW_MASK = _WINDOW_SIZE - 1
_MIN_MATCH = 4
_MAX_MATCH = 258
_MAX_FLATE_BLOCK_TOKENS = 1 << 14
_MAX_STORE_BLOCK_SIZE = 65535
_HASH_BITS = 17
_HASH_MASK = (1 << _HASH_BITS) - 1
_MAX_HASH_OFFSET = 1 << 24
_HASHMUL = 0x1E35A7BD
_GOOD, _LAZY, _NICE, _CHAIN = 8, 16, 128, 128  # level 6
_MATCH_TYPE = 1 << 30
_END_BLOCK = 256

_LENGTH_EXTRA_BITS = [0] * 8 + [1] * 4 + [2] * 4 + [3] * 4 + [4] * 4 + [5] * 4 + [0]
_LENGTH_BASE = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160,
                192, 224, 255]
_OFFSET_EXTRA_BITS = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
_OFFSET_BASE = [0x0000, 0x0001, 0x0002, 0x0003, 0x0004, 0x0006, 0x0008, 0x000C, 0x0010, 0x0018, 0x0020, 0x0030,
                0x0040, 0x0060, 0x0080, 0x00C0, 0x0100, 0x0180, 0x0200, 0x0300, 0x0400, 0x0600, 0x0800, 0x0C00,
                0x1000, 0x1800, 0x2000, 0x3000, 0x4000, 0x6000]
_CODEGEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]


def _length_code(xlength: int) -> int:
    """The length code (0-28) for a match length minus 3."""
    for code in range(len(_LENGTH_BASE) - 1, -1, -1):
        if xlength >= _LENGTH_BASE[code]:
            return code
    return 0


def _offset_code_small(off: int) -> int:
    for code in range(len(_OFFSET_BASE) - 1, -1, -1):
        if off >= _OFFSET_BASE[code]:
            return code
    return 0


_LENGTH_CODES = [_length_code(x) for x in range(256)]
_OFFSET_CODES = [_offset_code_small(x) for x in range(256)]


def _offset_code(off: int) -> int:
    if off < 256:
        return _OFFSET_CODES[off]
    if off >> 7 < 256:
        return _OFFSET_CODES[off >> 7] + 14
    return _OFFSET_CODES[off >> 14] + 28


def _reverse_bits(number: int, length: int) -> int:
    return int(format(number, f"0{length}b")[::-1], 2) if length else 0


class _HuffmanEncoder:
    """Go's huffmanEncoder: code lengths limited to `max_bits`, codes assigned in literal order."""

    def __init__(self, size: int) -> None:
        self.code = [0] * size
        self.len = [0] * size

    def bit_length(self, freq: list[int]) -> int:
        return sum(f * self.len[i] for i, f in enumerate(freq) if f)

    def generate(self, freq: list[int], max_bits: int) -> None:
        nodes: list[tuple[int, int]] = []  # (literal, freq)
        for i, f in enumerate(freq):
            if f:
                nodes.append((i, f))
            else:
                self.len[i] = 0
        if len(nodes) <= 2:
            for i, (literal, _f) in enumerate(nodes):
                self.code[literal] = i
                self.len[literal] = 1
            return
        nodes.sort(key=lambda node: (node[1], node[0]))
        bit_count = self._bit_counts(nodes, max_bits)
        code = 0
        remaining = nodes
        for n, bits in enumerate(bit_count):
            code <<= 1
            if n == 0 or bits == 0:
                continue
            chunk = sorted(remaining[len(remaining) - bits:])
            for literal, _f in chunk:
                self.code[literal] = _reverse_bits(code, n)
                self.len[literal] = n
                code += 1
            remaining = remaining[: len(remaining) - bits]

    @staticmethod
    def _bit_counts(nodes: list[tuple[int, int]], max_bits: int) -> list[int]:
        """Go's bitCounts (package-merge on levels): how many literals get each code length."""
        max_int32 = 2**31 - 1
        freqs = [f for _literal, f in nodes] + [max_int32]
        n = len(nodes)
        max_bits = min(max_bits, n - 1)
        # per level: [level, last_freq, next_char_freq, next_pair_freq, needed]
        levels = [[0, 0, 0, 0, 0] for _ in range(17)]
        leaf_counts = [[0] * 17 for _ in range(17)]
        for level in range(1, max_bits + 1):
            levels[level] = [level, freqs[1], freqs[2], freqs[0] + freqs[1], 0]
            leaf_counts[level][level] = 2
            if level == 1:
                levels[level][3] = max_int32
        levels[max_bits][4] = 2 * n - 4
        level = max_bits
        while True:
            current = levels[level]
            if current[3] == max_int32 and current[2] == max_int32:
                current[4] = 0
                levels[level + 1][3] = max_int32
                level += 1
                continue
            prev_freq = current[1]
            if current[2] < current[3]:
                count = leaf_counts[level][level] + 1
                current[1] = current[2]
                leaf_counts[level][level] = count
                current[2] = freqs[count]
            else:
                current[1] = current[3]
                leaf_counts[level][:level] = leaf_counts[level - 1][:level]
                levels[current[0] - 1][4] = 2
            current[4] -= 1
            if current[4] == 0:
                if current[0] == max_bits:
                    break
                levels[current[0] + 1][3] = prev_freq + current[1]
                level += 1
            else:
                while levels[level - 1][4] > 0:
                    level -= 1
        counts = leaf_counts[max_bits]
        bit_count = [0] * (max_bits + 1)
        bits = 1
        for level in range(max_bits, 0, -1):
            bit_count[bits] = counts[level] - counts[level - 1]
            bits += 1
        return bit_count


def _fixed_literal_encoding() -> _HuffmanEncoder:
    encoder = _HuffmanEncoder(286)
    for ch in range(286):
        if ch < 144:
            bits, size = ch + 48, 8
        elif ch < 256:
            bits, size = ch + 400 - 144, 9
        elif ch < 280:
            bits, size = ch - 256, 7
        else:
            bits, size = ch + 192 - 280, 8
        encoder.code[ch] = _reverse_bits(bits, size)
        encoder.len[ch] = size
    return encoder


def _fixed_offset_encoding() -> _HuffmanEncoder:
    encoder = _HuffmanEncoder(30)
    for i in range(30):
        encoder.code[i] = _reverse_bits(i, 5)
        encoder.len[i] = 5
    return encoder


class _BitWriter:
    """Go's huffmanBitWriter: an LSB-first bit stream and the block encodings."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.bits = 0
        self.nbits = 0
        self.literal_freq = [0] * 286
        self.offset_freq = [0] * 30
        self.codegen: list[int] = []
        self.codegen_freq = [0] * 19
        self.literal_encoding = _HuffmanEncoder(286)
        self.offset_encoding = _HuffmanEncoder(30)
        self.codegen_encoding = _HuffmanEncoder(19)
        self.fixed_literal = _fixed_literal_encoding()
        self.fixed_offset = _fixed_offset_encoding()

    def write_bits(self, value: int, count: int) -> None:
        self.bits |= (value & ((1 << count) - 1)) << self.nbits
        self.nbits += count
        while self.nbits >= 8:
            self.out.append(self.bits & 0xFF)
            self.bits >>= 8
            self.nbits -= 8

    def flush(self) -> None:
        if self.nbits:
            self.out.append(self.bits & 0xFF)
        self.bits = self.nbits = 0

    def write_stored_header(self, length: int, eof: bool) -> None:
        self.write_bits(1 if eof else 0, 3)
        self.flush()
        self.write_bits(length, 16)
        self.write_bits(~length & 0xFFFF, 16)

    def write_bytes(self, data: bytes) -> None:
        self.out += data

    def _index_tokens(self, tokens: list[int]) -> tuple[int, int]:
        self.literal_freq = [0] * 286
        self.offset_freq = [0] * 30
        for token in tokens:
            if token < _MATCH_TYPE:
                self.literal_freq[token] += 1
                continue
            xlength = (token - _MATCH_TYPE) >> 22
            xoffset = token & ((1 << 22) - 1)
            self.literal_freq[257 + _LENGTH_CODES[xlength]] += 1
            self.offset_freq[_offset_code(xoffset)] += 1
        num_literals = 286
        while self.literal_freq[num_literals - 1] == 0:
            num_literals -= 1
        num_offsets = 30
        while num_offsets > 0 and self.offset_freq[num_offsets - 1] == 0:
            num_offsets -= 1
        if num_offsets == 0:
            self.offset_freq[0] = 1
            num_offsets = 1
        self.literal_encoding.generate(self.literal_freq, 15)
        self.offset_encoding.generate(self.offset_freq, 15)
        return num_literals, num_offsets

    def _generate_codegen(self, num_literals: int, num_offsets: int) -> None:
        self.codegen_freq = [0] * 19
        sizes = self.literal_encoding.len[:num_literals] + self.offset_encoding.len[:num_offsets]
        out: list[int] = []
        index = 0
        while index < len(sizes):
            size = sizes[index]
            count = 1
            while index + count < len(sizes) and sizes[index + count] == size:
                count += 1
            index += count
            if size != 0:
                out.append(size)
                self.codegen_freq[size] += 1
                count -= 1
                while count >= 3:
                    n = min(6, count)
                    out += [16, n - 3]
                    self.codegen_freq[16] += 1
                    count -= n
            else:
                while count >= 11:
                    n = min(138, count)
                    out += [18, n - 11]
                    self.codegen_freq[18] += 1
                    count -= n
                if count >= 3:
                    out += [17, count - 3]
                    self.codegen_freq[17] += 1
                    count = 0
            for _ in range(count):
                out.append(size)
                self.codegen_freq[size] += 1
        self.codegen = out

    def _dynamic_size(self, extra_bits: int) -> tuple[int, int]:
        num_codegens = 19
        while num_codegens > 4 and self.codegen_freq[_CODEGEN_ORDER[num_codegens - 1]] == 0:
            num_codegens -= 1
        header = (3 + 5 + 5 + 4 + 3 * num_codegens + self.codegen_encoding.bit_length(self.codegen_freq)
                  + self.codegen_freq[16] * 2 + self.codegen_freq[17] * 3 + self.codegen_freq[18] * 7)
        size = (header + self.literal_encoding.bit_length(self.literal_freq)
                + self.offset_encoding.bit_length(self.offset_freq) + extra_bits)
        return size, num_codegens

    def write_block(self, tokens: list[int], eof: bool, data: bytes | None) -> None:
        tokens = [*tokens, _END_BLOCK]
        num_literals, num_offsets = self._index_tokens(tokens)
        extra_bits = 0
        storable = data is not None and len(data) <= _MAX_STORE_BLOCK_SIZE
        stored_size = (len(data) + 5) * 8 if data is not None and storable else 0
        if storable:
            for code in range(257 + 8, num_literals):
                extra_bits += self.literal_freq[code] * _LENGTH_EXTRA_BITS[code - 257]
            for code in range(4, num_offsets):
                extra_bits += self.offset_freq[code] * _OFFSET_EXTRA_BITS[code]
        literal_encoding, offset_encoding = self.fixed_literal, self.fixed_offset
        size = (3 + self.fixed_literal.bit_length(self.literal_freq) + self.fixed_offset.bit_length(self.offset_freq)
                + extra_bits)
        self._generate_codegen(num_literals, num_offsets)
        self.codegen_encoding.generate(self.codegen_freq, 7)
        dynamic_size, num_codegens = self._dynamic_size(extra_bits)
        if dynamic_size < size:
            size = dynamic_size
            literal_encoding, offset_encoding = self.literal_encoding, self.offset_encoding
        if storable and stored_size < size:
            assert data is not None
            self.write_stored_header(len(data), eof)
            self.write_bytes(data)
            return
        if literal_encoding is self.fixed_literal:
            self.write_bits(3 if eof else 2, 3)
        else:
            self._write_dynamic_header(num_literals, num_offsets, num_codegens, eof)
        self._write_tokens(tokens, literal_encoding, offset_encoding)

    def _write_dynamic_header(self, num_literals: int, num_offsets: int, num_codegens: int, eof: bool) -> None:
        self.write_bits(5 if eof else 4, 3)
        self.write_bits(num_literals - 257, 5)
        self.write_bits(num_offsets - 1, 5)
        self.write_bits(num_codegens - 4, 4)
        for i in range(num_codegens):
            self.write_bits(self.codegen_encoding.len[_CODEGEN_ORDER[i]], 3)
        codes = self.codegen_encoding
        i = 0
        while i < len(self.codegen):
            word = self.codegen[i]
            i += 1
            self.write_bits(codes.code[word], codes.len[word])
            if word in (16, 17, 18):
                self.write_bits(self.codegen[i], {16: 2, 17: 3, 18: 7}[word])
                i += 1

    def _write_tokens(self, tokens: list[int], literals: _HuffmanEncoder, offsets: _HuffmanEncoder) -> None:
        for token in tokens:
            if token < _MATCH_TYPE:
                self.write_bits(literals.code[token], literals.len[token])
                continue
            xlength = (token - _MATCH_TYPE) >> 22
            code = _LENGTH_CODES[xlength]
            self.write_bits(literals.code[code + 257], literals.len[code + 257])
            if _LENGTH_EXTRA_BITS[code]:
                self.write_bits(xlength - _LENGTH_BASE[code], _LENGTH_EXTRA_BITS[code])
            xoffset = token & ((1 << 22) - 1)
            code = _offset_code(xoffset)
            self.write_bits(offsets.code[code], offsets.len[code])
            if _OFFSET_EXTRA_BITS[code]:
                self.write_bits(xoffset - _OFFSET_BASE[code], _OFFSET_EXTRA_BITS[code])


class _Compressor:
    """Go's compress/flate compressor at level 6 (lazy matching, hash chains of 4-byte hashes)."""

    def __init__(self) -> None:
        self.w = _BitWriter()
        self.window = bytearray(2 * _WINDOW_SIZE)
        self.window_end = 0
        self.index = 0
        self.block_start = 0
        self.byte_available = False
        self.tokens: list[int] = []
        self.length = _MIN_MATCH - 1
        self.offset = 0
        self.hash_offset = 1
        self.chain_head = -1
        self.hash_head = [0] * (1 << _HASH_BITS)
        self.hash_prev = [0] * _WINDOW_SIZE
        self.max_insert_index = 0
        self.sync = False

    def _hash4(self, at: int) -> int:
        w = self.window
        value = w[at + 3] | w[at + 2] << 8 | w[at + 1] << 16 | w[at] << 24
        return ((value * _HASHMUL) & 0xFFFFFFFF) >> (32 - _HASH_BITS)

    def fill(self, data: memoryview) -> int:
        if self.index >= 2 * _WINDOW_SIZE - (_MIN_MATCH + _MAX_MATCH):
            self.window[:_WINDOW_SIZE] = self.window[_WINDOW_SIZE:]
            self.index -= _WINDOW_SIZE
            self.window_end -= _WINDOW_SIZE
            self.block_start = self.block_start - _WINDOW_SIZE if self.block_start >= _WINDOW_SIZE else 2**31 - 1
            self.hash_offset += _WINDOW_SIZE
            if self.hash_offset > _MAX_HASH_OFFSET:
                delta = self.hash_offset - 1
                self.hash_offset -= delta
                self.chain_head -= delta
                self.hash_prev = [v - delta if v > delta else 0 for v in self.hash_prev]
                self.hash_head = [v - delta if v > delta else 0 for v in self.hash_head]
        n = min(len(data), len(self.window) - self.window_end)
        self.window[self.window_end:self.window_end + n] = data[:n]
        self.window_end += n
        return n

    def _write_block(self, index: int) -> None:
        if index > 0:
            data = bytes(self.window[self.block_start:index]) if self.block_start <= index else None
            self.block_start = index
            self.w.write_block(self.tokens, False, data)
        self.tokens = []

    def _find_match(self, pos: int, prev_head: int, prev_length: int, lookahead: int) -> tuple[int, int, bool]:
        win = self.window
        min_match_look = min(_MAX_MATCH, lookahead)
        limit = pos + min_match_look
        nice = min(_NICE, min_match_look)
        tries = _CHAIN
        length = prev_length
        if length >= _GOOD:
            tries >>= 2
        w_end = win[pos + length]
        min_index = pos - _WINDOW_SIZE
        offset, ok = 0, False
        i = prev_head
        while tries > 0:
            if w_end == win[i + length]:
                n = 0
                while n < min_match_look and win[i + n] == win[pos + n]:
                    n += 1
                if n > length and (n > _MIN_MATCH or pos - i <= 4096):
                    length, offset, ok = n, pos - i, True
                    if n >= nice:
                        break
                    w_end = win[pos + n] if pos + n < limit else 0
            if i == min_index:
                break
            i = self.hash_prev[i & _WINDOW_MASK] - self.hash_offset
            if i < min_index or i < 0:
                break
            tries -= 1
        return length, offset, ok

    def deflate(self) -> None:
        if self.window_end - self.index < _MIN_MATCH + _MAX_MATCH and not self.sync:
            return
        self.max_insert_index = self.window_end - (_MIN_MATCH - 1)
        while True:
            lookahead = self.window_end - self.index
            if lookahead < _MIN_MATCH + _MAX_MATCH:
                if not self.sync:
                    return
                if lookahead == 0:
                    if self.byte_available:
                        self.tokens.append(self.window[self.index - 1])
                        self.byte_available = False
                    if self.tokens:
                        self._write_block(self.index)
                    return
            if self.index < self.max_insert_index:
                h = self._hash4(self.index)
                self.chain_head = self.hash_head[h]
                self.hash_prev[self.index & _WINDOW_MASK] = self.chain_head
                self.hash_head[h] = self.index + self.hash_offset
            prev_length, prev_offset = self.length, self.offset
            self.length, self.offset = _MIN_MATCH - 1, 0
            min_index = max(self.index - _WINDOW_SIZE, 0)
            if (self.chain_head - self.hash_offset >= min_index and lookahead > prev_length
                    and prev_length < _LAZY):
                length, offset, ok = self._find_match(self.index, self.chain_head - self.hash_offset,
                                                      _MIN_MATCH - 1, lookahead)
                if ok:
                    self.length, self.offset = length, offset
            if prev_length >= _MIN_MATCH and self.length <= prev_length:
                self.tokens.append(_MATCH_TYPE + ((prev_length - 3) << 22) + (prev_offset - 1))
                new_index = self.index + prev_length - 1
                self.index += 1
                while self.index < new_index:
                    if self.index < self.max_insert_index:
                        h = self._hash4(self.index)
                        self.hash_prev[self.index & _WINDOW_MASK] = self.hash_head[h]
                        self.hash_head[h] = self.index + self.hash_offset
                    self.index += 1
                self.byte_available = False
                self.length = _MIN_MATCH - 1
                if len(self.tokens) == _MAX_FLATE_BLOCK_TOKENS:
                    self._write_block(self.index)
            else:
                if self.byte_available:
                    i = self.index - 1
                    self.tokens.append(self.window[i])
                    if len(self.tokens) == _MAX_FLATE_BLOCK_TOKENS:
                        self._write_block(i + 1)
                self.index += 1
                self.byte_available = True

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while len(view):
            self.deflate()
            view = view[self.fill(view):]

    def sync_flush(self) -> None:
        self.sync = True
        self.deflate()
        self.w.write_stored_header(0, False)
        self.w.flush()
        self.sync = False

    def close(self) -> bytes:
        self.sync = True
        self.deflate()
        self.w.write_stored_header(0, True)
        self.w.flush()
        return bytes(self.w.out)


def go_gzip(data: bytes) -> bytes:
    """What Terraform's base64gzip compresses `data` to: gzip.NewWriter (level 6, no name, zero mtime,
    OS 255), one Write, Flush, Close."""
    import struct
    import zlib

    compressor = _Compressor()
    compressor.write(data)
    compressor.sync_flush()
    body = compressor.close()
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    return header + body + struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)


# -- JSON (go-cty's cty/json on Go's encoding/json) ----------------------------------------------------------


@builtin("jsonencode", [Param("val", cty.DYNAMIC, allow_null=True, allow_dynamic=True)], returns=cty.STRING)
def jsonencode(value: Value) -> Value:
    """Go's encoding/json text of the value: object and map keys sorted, sets and tuples as arrays,
    numbers in plain notation, `<`, `>`, `&`, U+2028 and U+2029 escaped as `\\u003c` etc. A value with
    unknowns anywhere is unknown."""
    if not value.is_wholly_known():  # call() passes a known collection holding unknowns through
        return cty.unknown(cty.STRING)
    out: list[str] = []
    _json_into(value, out)
    return cty.string("".join(out))


def _json_into(value: Value, out: list[str]) -> None:
    from iac.lang.numbers import format_number

    v = value.v
    if v is None:
        out.append("null")
    elif isinstance(v, str):
        out.append(go_json_string(v))
    elif isinstance(v, bool):
        out.append("true" if v else "false")
    elif isinstance(v, tuple):
        out.append("[")
        for index, elem in enumerate(v):
            if index:
                out.append(",")
            _json_into(elem, out)
        out.append("]")
    elif isinstance(v, dict):
        out.append("{")
        for index, (key, elem) in enumerate(v.items()):
            if index:
                out.append(",")
            out.append(go_json_string(key))
            out.append(":")
            _json_into(elem, out)
        out.append("}")
    elif is_infinite(v):
        raise FunctionError("cannot serialize infinity as JSON")
    else:
        out.append(format_number(v))


_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                 "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def go_json_string(text: str) -> str:
    """A string as Go's json.Marshal writes it (HTML-safe escaping)."""
    out = ['"']
    for char in text:
        escaped = _JSON_ESCAPES.get(char)
        if escaped is not None:
            out.append(escaped)
        elif char < " ":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


class _JSONSyntaxError(Exception):
    pass


_DELIMS = frozenset(b"[]{}:,")
_SPACE = frozenset(b" \t\r\n")

# Decoder.Token states (encoding/json/stream.go)
_TOP, _ARRAY_START, _ARRAY_VALUE, _ARRAY_COMMA, _OBJECT_START, _OBJECT_KEY, _OBJECT_COLON, _OBJECT_VALUE, \
    _OBJECT_COMMA = range(9)


def _quote_char(byte: int) -> str:
    """encoding/json's quoteChar: the byte as a one-rune Go quoted literal in single quotes."""
    from iac._go import go_quote

    if byte == 0x27:
        return "'\\''"
    if byte == 0x22:
        return "'\"'"
    return "'" + go_quote(chr(byte))[1:-1] + "'"


class _GoJSONTokens:
    """encoding/json's Decoder.Token with UseNumber, over UTF-8 bytes, with Go's error messages."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.state = _TOP
        self.stack: list[int] = []

    def _peek(self) -> int | None:
        data, pos = self.data, self.pos
        while pos < len(data) and data[pos] in _SPACE:
            pos += 1
        self.pos = pos
        return data[pos] if pos < len(data) else None

    def more(self) -> bool:
        c = self._peek()
        return c is not None and c not in (0x5D, 0x7D)

    def _error(self, c: int) -> _JSONSyntaxError:
        context = {_TOP: " looking for beginning of value", _ARRAY_START: " looking for beginning of value",
                   _ARRAY_VALUE: " looking for beginning of value", _OBJECT_VALUE: " looking for beginning of value",
                   _ARRAY_COMMA: " after array element", _OBJECT_KEY: " looking for beginning of object key string",
                   _OBJECT_COLON: " after object key", _OBJECT_COMMA: " after object key:value pair"}.get(self.state, "")
        return _JSONSyntaxError(f"invalid character {_quote_char(c)}{context}")

    def _value_allowed(self) -> bool:
        return self.state in (_TOP, _ARRAY_START, _ARRAY_VALUE, _OBJECT_VALUE)

    def _value_end(self) -> None:
        if self.state in (_ARRAY_START, _ARRAY_VALUE):
            self.state = _ARRAY_COMMA
        elif self.state == _OBJECT_VALUE:
            self.state = _OBJECT_COMMA

    def token(self) -> object:
        """A `_Delim`, a `_Key`, a str, a `_Number`, a bool or None."""
        while True:
            c = self._peek()
            if c is None:
                raise _JSONSyntaxError("EOF")
            if c in (0x5B, 0x7B):  # [ {
                if not self._value_allowed():
                    raise self._error(c)
                self.pos += 1
                self.stack.append(self.state)
                self.state = _ARRAY_START if c == 0x5B else _OBJECT_START
                return _Delim(chr(c))
            if c in (0x5D, 0x7D):  # ] }
                allowed = (_ARRAY_START, _ARRAY_COMMA) if c == 0x5D else (_OBJECT_START, _OBJECT_COMMA)
                if self.state not in allowed:
                    raise self._error(c)
                self.pos += 1
                self.state = self.stack.pop()
                self._value_end()
                return _Delim(chr(c))
            if c == 0x3A:  # :
                if self.state != _OBJECT_COLON:
                    raise self._error(c)
                self.pos += 1
                self.state = _OBJECT_VALUE
                continue
            if c == 0x2C:  # ,
                if self.state == _ARRAY_COMMA:
                    self.state = _ARRAY_VALUE
                elif self.state == _OBJECT_COMMA:
                    self.state = _OBJECT_KEY
                else:
                    raise self._error(c)
                self.pos += 1
                continue
            if c == 0x22 and self.state in (_OBJECT_START, _OBJECT_KEY):
                key = self._scalar()
                self.state = _OBJECT_COLON
                return _Key(key)
            if not self._value_allowed():
                raise self._error(c)
            value = self._scalar()
            self._value_end()
            return value

    def _scalar(self) -> Any:
        """One string, number or literal (Decoder.Decode of a scalar), with the scanner's messages."""
        data, start = self.data, self.pos
        c = data[start]
        if c == 0x22:
            return self._string()
        if c == 0x2D or 0x30 <= c <= 0x39:
            return self._number()
        for literal, value in ((b"true", True), (b"false", False), (b"null", None)):
            if c == literal[0]:
                for offset in range(1, len(literal)):
                    if start + offset >= len(data):
                        raise _JSONSyntaxError("unexpected EOF")
                    got = data[start + offset]
                    if got != literal[offset]:
                        raise _JSONSyntaxError(f"invalid character {_quote_char(got)} in literal "
                                               f"{literal.decode()} (expecting {_quote_char(literal[offset])})")
                self.pos = start + len(literal)
                return value
        raise _JSONSyntaxError(f"invalid character {_quote_char(c)} looking for beginning of value")

    def _number(self) -> _Number:
        data, pos = self.data, self.pos
        start = pos

        def at(i: int) -> int | None:
            return data[i] if i < len(data) else None

        if at(pos) == 0x2D:
            pos += 1
            c = at(pos)
            if c is None:
                raise _JSONSyntaxError("unexpected EOF")
            if not 0x30 <= c <= 0x39:
                raise _JSONSyntaxError(f"invalid character {_quote_char(c)} in numeric literal")
        if at(pos) == 0x30:
            pos += 1
        else:
            while (c := at(pos)) is not None and 0x30 <= c <= 0x39:
                pos += 1
        if at(pos) == 0x2E:
            pos += 1
            c = at(pos)
            if c is None:
                raise _JSONSyntaxError("unexpected EOF")
            if not 0x30 <= c <= 0x39:
                raise _JSONSyntaxError(f"invalid character {_quote_char(c)} after decimal point in numeric literal")
            while (c := at(pos)) is not None and 0x30 <= c <= 0x39:
                pos += 1
        if at(pos) in (0x65, 0x45):
            pos += 1
            if at(pos) in (0x2B, 0x2D):
                pos += 1
            c = at(pos)
            if c is None:
                raise _JSONSyntaxError("unexpected EOF")
            if not 0x30 <= c <= 0x39:
                raise _JSONSyntaxError(f"invalid character {_quote_char(c)} in exponent of numeric literal")
            while (c := at(pos)) is not None and 0x30 <= c <= 0x39:
                pos += 1
        self.pos = pos
        return _Number(data[start:pos].decode("ascii"))

    def _string(self) -> str:
        data = self.data
        pos = self.pos + 1
        out: list[str] = []
        chunk_start = pos
        while True:
            if pos >= len(data):
                raise _JSONSyntaxError("unexpected EOF")
            c = data[pos]
            if c == 0x22:
                out.append(data[chunk_start:pos].decode("utf-8", errors="replace"))
                self.pos = pos + 1
                return "".join(out)
            if c < 0x20:
                raise _JSONSyntaxError(f"invalid character {_quote_char(c)} in string literal")
            if c != 0x5C:
                pos += 1
                continue
            out.append(data[chunk_start:pos].decode("utf-8", errors="replace"))
            pos += 1
            if pos >= len(data):
                raise _JSONSyntaxError("unexpected EOF")
            e = data[pos]
            simple = {0x22: '"', 0x5C: "\\", 0x2F: "/", 0x62: "\b", 0x66: "\f", 0x6E: "\n", 0x72: "\r", 0x74: "\t"}
            if e in simple:
                out.append(simple[e])
                pos += 1
            elif e == 0x75:
                code, pos = self._hex4(pos + 1)
                if 0xD800 <= code < 0xDC00 and data[pos:pos + 2] == b"\\u":
                    try:
                        low, after = self._hex4(pos + 2)
                    except _JSONSyntaxError:
                        low, after = -1, pos
                    if 0xDC00 <= low < 0xE000:
                        out.append(chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)))
                        pos = after
                    else:
                        out.append("\ufffd")
                elif 0xD800 <= code < 0xE000:
                    out.append("\ufffd")
                else:
                    out.append(chr(code))
            else:
                raise _JSONSyntaxError(f"invalid character {_quote_char(e)} in string escape code")
            chunk_start = pos

    def _hex4(self, pos: int) -> tuple[int, int]:
        data = self.data
        for i in range(pos, pos + 4):
            if i >= len(data):
                raise _JSONSyntaxError("unexpected EOF")
            if data[i] not in b"0123456789abcdefABCDEF":
                raise _JSONSyntaxError(f"invalid character {_quote_char(data[i])} in \\u hexadecimal character escape")
        return int(data[pos:pos + 4], 16), pos + 4


class _Number(str):
    """A JSON number's text (json.Number)."""


class _Key(str):
    """An object key token."""


class _Delim(str):
    """A delimiter token: "[", "]", "{" or "}"."""


def _json_value(tokens: _GoJSONTokens, token: object) -> Value:
    """cty's implied type and value for the JSON value starting with `token`."""
    from iac.lang.numbers import parse_number

    if token is None:
        return cty.null(cty.DYNAMIC)
    if isinstance(token, bool):
        return cty.bool_value(token)
    if isinstance(token, _Number):
        parsed = parse_number(token)
        if parsed is None:
            raise _JSONSyntaxError(f"invalid number {token}")
        return cty.number(parsed)
    if isinstance(token, _Delim) and token == "[":
        elems: list[Value] = []
        while True:
            nxt = tokens.token()
            if isinstance(nxt, _Delim) and nxt == "]":
                return cty.tuple_value(elems) if elems else cty.EMPTY_TUPLE
            elems.append(_json_value(tokens, nxt))
    if isinstance(token, _Delim):
        attrs: dict[str, Value] = {}
        while True:
            key = tokens.token()
            if isinstance(key, _Delim):
                return cty.object_value(attrs) if attrs else cty.EMPTY_OBJECT
            if not isinstance(key, _Key):
                raise _JSONSyntaxError(f"expected string but found {key!r}")
            value = _json_value(tokens, tokens.token())
            previous = attrs.get(str(key))
            if previous is not None and previous.type != value.type:  # a repeated key of the same type: last wins
                from iac._go import go_quote

                raise _JSONSyntaxError(f"duplicate {go_quote(str(key))} property in JSON object")
            attrs[str(key)] = value
    assert isinstance(token, str)
    return cty.string(token)


def _nfc_keys(value: Value) -> Value:
    """cty.ObjectVal normalises attribute names to NFC (a later duplicate wins, as in a Go map)."""
    if isinstance(value.v, tuple):
        return cty.tuple_value([_nfc_keys(e) for e in value.v]) if value.v else value
    if isinstance(value.v, dict) and value.v:
        return cty.object_value({nfc(k): _nfc_keys(e) for k, e in value.v.items()})
    return value


def json_decode(text: str) -> Value:
    """cty's json.ImpliedType + Unmarshal: objects become objects, arrays tuples, null a null of dynamic
    type; numbers exact. Raises ValueError with Go's message."""
    tokens = _GoJSONTokens(text.encode("utf-8"))
    try:
        value = _json_value(tokens, tokens.token())
        if tokens.more():
            raise _JSONSyntaxError("extraneous data after JSON object")
    except _JSONSyntaxError as error:
        raise ValueError(str(error)) from None
    return _nfc_keys(value)


def _jsondecode_type(args: Sequence[Value]) -> cty.Type:
    return json_decode(args[0].v).type if args[0].is_known and args[0].v is not None else cty.DYNAMIC


@builtin("jsondecode", [Param("str", cty.STRING)], returns=_jsondecode_type)
def jsondecode(text: Value) -> Value:
    """JSON text to a value: objects as objects, arrays as tuples, numbers exact; an error names Go's
    decoder problem ("invalid character ...", "EOF", "unexpected EOF", "extraneous data after JSON object",
    duplicate keys)."""
    try:
        return json_decode(text.v)
    except ValueError as error:
        raise FunctionError(str(error)) from error


# -- CSV (Go's encoding/csv, as cty's csvdecode reads it) -----------------------------------------------------


class _CSVError(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


_ERR_BARE_QUOTE = 'bare " in non-quoted-field'
_ERR_QUOTE = 'extraneous or missing " in quoted-field'
_ERR_FIELD_COUNT = "wrong number of fields"


class _GoCSVReader:
    """encoding/csv.Reader with the default settings (comma, no comments, strict quotes)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0
        self.num_line = 0
        self.fields_per_record = 0

    def _read_line(self) -> tuple[bytes, bool]:
        """One line with its newline (\\r\\n normalised to \\n); True once the input is exhausted."""
        if self.offset >= len(self.data):
            return b"", True
        end = self.data.find(b"\n", self.offset)
        if end < 0:
            line = self.data[self.offset:]
            self.offset = len(self.data)
            if line.endswith(b"\r"):
                line = line[:-1]
        else:
            line = self.data[self.offset:end + 1]
            self.offset = end + 1
        self.num_line += 1
        if line.endswith(b"\r\n"):
            line = line[:-2] + b"\n"
        return line, False

    @staticmethod
    def _length_nl(line: bytes) -> int:
        return 1 if line.endswith(b"\n") else 0

    def read(self) -> list[str] | None:
        """The next record, or None at the end; _CSVError on a parse error."""
        eof = False
        line = b""
        while not eof:
            line, eof = self._read_line()
            if not eof and len(line) == self._length_nl(line):
                continue
            break
        if eof and not line:
            return None
        rec_line = self.num_line
        fields: list[bytes] = []
        buffer = bytearray()
        col = 1
        pos_line = self.num_line
        error: _CSVError | None = None
        while True:
            if not line or line[0] != 0x22:
                i = line.find(b",")
                field = line[:i] if i >= 0 else line[:len(line) - self._length_nl(line)]
                if b'"' in field:
                    error = self._parse_error(rec_line, self.num_line, _ERR_BARE_QUOTE)
                    break
                fields.append(field)
                if i >= 0:
                    line = line[i + 1:]
                    col += i + 1
                    continue
                break
            line = line[1:]
            col += 1
            buffer = bytearray()
            done = False
            while not done:
                i = line.find(b'"')
                if i >= 0:
                    buffer += line[:i]
                    line = line[i + 1:]
                    col += i + 1
                    if line[:1] == b'"':
                        buffer += b'"'
                        line = line[1:]
                        col += 1
                    elif line[:1] == b",":
                        line = line[1:]
                        col += 1
                        fields.append(bytes(buffer))
                        break
                    elif self._length_nl(line) == len(line):
                        fields.append(bytes(buffer))
                        done = True
                    else:
                        error = self._parse_error(rec_line, self.num_line, _ERR_QUOTE)
                        done = True
                elif line:
                    buffer += line
                    col += len(line)
                    line, eof = self._read_line()
                    if line:
                        pos_line += 1
                        col = 1
                else:
                    error = self._parse_error(rec_line, pos_line, _ERR_QUOTE)
                    done = True
            else:
                break
        if error is not None:
            raise error
        record = [f.decode("utf-8", errors="replace") for f in fields]
        if self.fields_per_record > 0:
            if len(record) != self.fields_per_record:
                raise _CSVError(_ERR_FIELD_COUNT, rec_line)
        elif self.fields_per_record == 0:
            self.fields_per_record = len(record)
        return record

    @staticmethod
    def _parse_error(start_line: int, line: int, message: str) -> _CSVError:
        return _CSVError(message, line)


def _csv_header(text: str) -> list[str]:
    reader = _GoCSVReader(text.encode("utf-8"))
    try:
        headers = reader.read()
    except _CSVError as error:
        raise FunctionError(f"CSV parse error on line {error.line}: {error.message}") from error
    if headers is None:
        raise FunctionError("missing header line")
    seen: set[str] = set()
    for name in headers:
        if name in seen:
            from iac._go import go_quote

            raise FunctionError(f"duplicate column name {go_quote(name)}")
        seen.add(name)
    return headers


def _csvdecode_type(args: Sequence[Value]) -> cty.Type:
    if not args[0].is_known or args[0].v is None:
        return cty.DYNAMIC
    return cty.list_of(cty.object_of(dict.fromkeys((nfc(h) for h in _csv_header(args[0].v)), cty.STRING)))


@builtin("csvdecode", [Param("str", cty.STRING)], returns=_csvdecode_type)
def csvdecode(text: Value) -> Value:
    """CSV (RFC 4180 as Go reads it) to a list of objects: the first line names the attributes, every
    other line must have as many fields."""
    headers = _csv_header(text.v)
    result_type = _csvdecode_type([text])
    reader = _GoCSVReader(text.v.encode("utf-8"))
    reader.fields_per_record = len(headers)
    reader.read()
    rows: list[Value] = []
    assert result_type.elem is not None
    while True:
        try:
            record = reader.read()
        except _CSVError as error:
            raise FunctionError(f"CSV parse error on line {error.line}: {error.message}") from error
        if record is None:
            break
        rows.append(Value(result_type.elem, {nfc(h): cty.string(f) for h, f in sorted(zip(headers, record,
                                                                                             strict=True))}))
    return Value(result_type, tuple(rows))


# -- YAML encoding (go-cty-yaml's converter on its libyaml-derived emitter) ----------------------------------
# go-cty-yaml emits: null, numbers and bools as plain scalars; strings double-quoted, or literal (`|`) when
# they contain a newline; block sequences and mappings (flow `[]`/`{}` only when empty). The emitter then
# decides the final form (a literal it cannot use becomes double-quoted; a key that cannot be a simple key
# becomes `? key`), escapes, and folds long double-quoted lines at 80 columns. The state machine below
# follows that emitter for exactly these events, including its column counting and open-ended documents.

_Y_STREAM_START, _Y_STREAM_END, _Y_DOC_START, _Y_DOC_END, _Y_SCALAR, _Y_SEQ_START, _Y_SEQ_END, _Y_MAP_START, \
    _Y_MAP_END = range(9)
_PLAIN, _SINGLE, _DOUBLE, _LITERAL = range(4)


@dataclass
class _YamlEvent:
    kind: int
    value: str = ""
    style: int = _PLAIN


def _yaml_events(value: Value, out: list[_YamlEvent]) -> None:
    from iac.lang.numbers import format_number

    v = value.v
    if v is None:
        out.append(_YamlEvent(_Y_SCALAR, "null", _PLAIN))
    elif v is cty.UNKNOWN:
        raise FunctionError("cannot serialize unknown value as YAML")
    elif isinstance(v, str):
        out.append(_YamlEvent(_Y_SCALAR, v, _LITERAL if "\n" in v else _DOUBLE))
    elif isinstance(v, bool):
        out.append(_YamlEvent(_Y_SCALAR, "true" if v else "false", _PLAIN))
    elif isinstance(v, tuple):
        out.append(_YamlEvent(_Y_SEQ_START))
        for elem in v:
            _yaml_events(elem, out)
        out.append(_YamlEvent(_Y_SEQ_END))
    elif isinstance(v, dict):
        out.append(_YamlEvent(_Y_MAP_START))
        for key, elem in v.items():
            out.append(_YamlEvent(_Y_SCALAR, key, _LITERAL if "\n" in key else _DOUBLE))
            _yaml_events(elem, out)
        out.append(_YamlEvent(_Y_MAP_END))
    else:
        out.append(_YamlEvent(_Y_SCALAR, format_number(v), _PLAIN))


def _is_printable(char: str) -> bool:
    """libyaml's is_printable (on UTF-8): LF, printable ASCII, and BMP text except surrogates, BOM and
    U+FFFE/U+FFFF. Characters outside the BMP are not "printable" (so they are escaped)."""
    code = ord(char)
    return (code == 0x0A or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF
            or (0xE000 <= code <= 0xFFFD and code != 0xFEFF))


def _is_break(char: str) -> bool:
    return char in "\r\n\x85\u2028\u2029"


def _is_blank(char: str) -> bool:
    return char in " \t"


@dataclass
class _ScalarAnalysis:
    multiline: bool = False
    flow_plain_allowed: bool = False
    block_plain_allowed: bool = True
    single_quoted_allowed: bool = True
    block_allowed: bool = False


def _analyze_scalar(value: str) -> _ScalarAnalysis:
    """yaml_emitter_analyze_scalar (unicode output)."""
    if not value:
        return _ScalarAnalysis()
    block_indicators = flow_indicators = line_breaks = special_characters = False
    leading_space = leading_break = trailing_space = trailing_break = False
    break_space = space_break = previous_space = previous_break = False
    if value.startswith("---") or value.startswith("..."):
        block_indicators = flow_indicators = True
    preceded_by_whitespace = True
    for i, char in enumerate(value):
        followed_by_whitespace = i + 1 >= len(value) or _is_blank(value[i + 1]) or _is_break(value[i + 1])
        if i == 0:
            if char in "#,[]{}&*!|>'\"%@`":
                flow_indicators = block_indicators = True
            elif char in "?:":
                flow_indicators = True
                if followed_by_whitespace:
                    block_indicators = True
            elif char == "-" and followed_by_whitespace:
                flow_indicators = block_indicators = True
        else:
            if char in ",?[]{}":
                flow_indicators = True
            elif char == ":":
                flow_indicators = True
                if followed_by_whitespace:
                    block_indicators = True
            elif char == "#" and preceded_by_whitespace:
                flow_indicators = block_indicators = True
        if not _is_printable(char):
            special_characters = True
        if char == " ":
            if i == 0:
                leading_space = True
            if i == len(value) - 1:
                trailing_space = True
            if previous_break:
                break_space = True
            previous_space, previous_break = True, False
        elif _is_break(char):
            line_breaks = True
            if i == 0:
                leading_break = True
            if i == len(value) - 1:
                trailing_break = True
            if previous_space:
                space_break = True
            previous_space, previous_break = False, True
        else:
            previous_space = previous_break = False
        preceded_by_whitespace = _is_blank(char) or _is_break(char)
    result = _ScalarAnalysis(multiline=line_breaks, flow_plain_allowed=True, block_plain_allowed=True,
                             single_quoted_allowed=True, block_allowed=True)
    if leading_space or leading_break or trailing_space or trailing_break:
        result.flow_plain_allowed = result.block_plain_allowed = False
    if trailing_space:
        result.block_allowed = False
    if break_space:
        result.flow_plain_allowed = result.block_plain_allowed = result.single_quoted_allowed = False
    if space_break or special_characters:
        result.flow_plain_allowed = result.block_plain_allowed = False
        result.single_quoted_allowed = result.block_allowed = False
    if line_breaks:
        result.flow_plain_allowed = result.block_plain_allowed = False
    if flow_indicators:
        result.flow_plain_allowed = False
    if block_indicators:
        result.block_plain_allowed = False
    return result


_DOUBLE_ESCAPES = {"\x00": "0", "\x07": "a", "\x08": "b", "\x09": "t", "\x0a": "n", "\x0b": "v", "\x0c": "f",
                   "\x0d": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L",
                   "\u2029": "P"}


class _YamlEmitter:
    """The libyaml emitter states go-cty-yaml's events reach (block style, no tags or anchors)."""

    BEST_INDENT = 2
    BEST_WIDTH = 80

    def __init__(self, events: list[_YamlEvent]) -> None:
        self.events = events
        self.head = 0
        self.out: list[str] = []
        self.states: list[str] = []
        self.state = "stream_start"
        self.indents: list[int] = []
        self.indent = -1
        self.flow_level = 0
        self.root_context = self.sequence_context = self.mapping_context = self.simple_key_context = False
        self.column = 0
        self.whitespace = True
        self.indention = True
        self.open_ended = False
        self.analysis = _ScalarAnalysis()
        self.style = _PLAIN

    def run(self) -> str:
        while self.head < len(self.events):
            event = self.events[self.head]
            if event.kind == _Y_SCALAR:
                self.analysis = _analyze_scalar(event.value)
            getattr(self, "_state_" + self.state)(event)
            self.head += 1
        return "".join(self.out)

    # -- writing --
    def _put(self, text: str) -> None:
        self.out.append(text)
        self.column += len(text)

    def _put_break(self) -> None:
        self.out.append("\n")
        self.column = 0

    def _write_indent(self) -> None:
        indent = max(self.indent, 0)
        if not self.indention or self.column > indent or (self.column == indent and not self.whitespace):
            self._put_break()
        if self.column < indent:
            self._put(" " * (indent - self.column))
        self.whitespace = self.indention = True

    def _write_indicator(self, indicator: str, need_whitespace: bool, is_whitespace: bool,
                         is_indention: bool) -> None:
        if need_whitespace and not self.whitespace:
            self._put(" ")
        self._put(indicator)
        self.whitespace = is_whitespace
        self.indention = self.indention and is_indention
        self.open_ended = False

    def _increase_indent(self, flow: bool, indentless: bool) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = self.BEST_INDENT if flow else 0
        elif not indentless:
            self.indent += self.BEST_INDENT

    def _pop_indent(self) -> None:
        self.indent = self.indents.pop()

    def _pop_state(self) -> None:
        self.state = self.states.pop()

    # -- states --
    def _state_stream_start(self, event: _YamlEvent) -> None:
        self.indent, self.column, self.whitespace, self.indention = -1, 0, True, True
        self.state = "first_document_start"

    def _state_first_document_start(self, event: _YamlEvent) -> None:
        self._document_start(event)

    def _state_document_start(self, event: _YamlEvent) -> None:
        self._document_start(event)

    def _document_start(self, event: _YamlEvent) -> None:
        if event.kind == _Y_DOC_START:
            self.state = "document_content"
            return
        if self.open_ended:  # STREAM-END after an open-ended document
            self._write_indicator("...", True, False, False)
            self._write_indent()
        self.state = "end"

    def _state_document_content(self, event: _YamlEvent) -> None:
        self.states.append("document_end")
        self._emit_node(event, root=True)

    def _state_document_end(self, event: _YamlEvent) -> None:
        self._write_indent()
        self.state = "document_start"

    def _state_block_sequence_first_item(self, event: _YamlEvent) -> None:
        self._increase_indent(False, self.mapping_context and not self.indention)
        self._block_sequence_item(event)

    def _state_block_sequence_item(self, event: _YamlEvent) -> None:
        self._block_sequence_item(event)

    def _block_sequence_item(self, event: _YamlEvent) -> None:
        if event.kind == _Y_SEQ_END:
            self._pop_indent()
            self._pop_state()
            return
        self._write_indent()
        self._write_indicator("-", True, False, True)
        self.states.append("block_sequence_item")
        self._emit_node(event, sequence=True)

    def _state_block_mapping_first_key(self, event: _YamlEvent) -> None:
        self._increase_indent(False, False)
        self._block_mapping_key(event)

    def _state_block_mapping_key(self, event: _YamlEvent) -> None:
        self._block_mapping_key(event)

    def _block_mapping_key(self, event: _YamlEvent) -> None:
        if event.kind == _Y_MAP_END:
            self._pop_indent()
            self._pop_state()
            return
        self._write_indent()
        if self._check_simple_key():
            self.states.append("block_mapping_simple_value")
            self._emit_node(event, mapping=True, simple_key=True)
            return
        self._write_indicator("?", True, False, True)
        self.states.append("block_mapping_value")
        self._emit_node(event, mapping=True)

    def _state_block_mapping_simple_value(self, event: _YamlEvent) -> None:
        self._write_indicator(":", False, False, False)
        self.states.append("block_mapping_key")
        self._emit_node(event, mapping=True)

    def _state_block_mapping_value(self, event: _YamlEvent) -> None:
        self._write_indent()
        self._write_indicator(":", True, False, True)
        self.states.append("block_mapping_key")
        self._emit_node(event, mapping=True)

    def _state_flow_sequence_first_item(self, event: _YamlEvent) -> None:
        self._write_indicator("[", True, True, False)
        self._increase_indent(True, False)
        self.flow_level += 1
        self._flow_end(event, "]")

    def _state_flow_mapping_first_key(self, event: _YamlEvent) -> None:
        self._write_indicator("{", True, True, False)
        self._increase_indent(True, False)
        self.flow_level += 1
        self._flow_end(event, "}")

    def _flow_end(self, event: _YamlEvent, closing: str) -> None:
        """Only empty flow collections are emitted: the next event is their end."""
        assert event.kind in (_Y_SEQ_END, _Y_MAP_END)
        self.flow_level -= 1
        self._pop_indent()
        self._write_indicator(closing, False, False, False)
        self._pop_state()

    def _state_end(self, event: _YamlEvent) -> None:
        raise AssertionError("expected nothing after STREAM-END")

    # -- nodes --
    def _emit_node(self, event: _YamlEvent, root: bool = False, sequence: bool = False, mapping: bool = False,
                   simple_key: bool = False) -> None:
        self.root_context, self.sequence_context = root, sequence
        self.mapping_context, self.simple_key_context = mapping, simple_key
        if event.kind == _Y_SCALAR:
            self._emit_scalar(event)
        elif event.kind == _Y_SEQ_START:
            empty = self.events[self.head + 1].kind == _Y_SEQ_END
            self.state = "flow_sequence_first_item" if self.flow_level or empty else "block_sequence_first_item"
        elif event.kind == _Y_MAP_START:
            empty = self.events[self.head + 1].kind == _Y_MAP_END
            self.state = "flow_mapping_first_key" if self.flow_level or empty else "block_mapping_first_key"

    def _check_simple_key(self) -> bool:
        event = self.events[self.head]
        if event.kind == _Y_SCALAR:
            return not self.analysis.multiline and len(event.value.encode("utf-8")) <= 128
        if event.kind == _Y_SEQ_START:
            return self.events[self.head + 1].kind == _Y_SEQ_END
        if event.kind == _Y_MAP_START:
            return self.events[self.head + 1].kind == _Y_MAP_END
        return False

    def _emit_scalar(self, event: _YamlEvent) -> None:
        self._select_scalar_style(event)
        self._increase_indent(True, False)
        value = event.value
        if self.style == _PLAIN:
            self._write_plain(value, not self.simple_key_context)
        elif self.style == _SINGLE:
            self._write_single_quoted(value, not self.simple_key_context)
        elif self.style == _DOUBLE:
            self._write_double_quoted(value, not self.simple_key_context)
        else:
            self._write_literal(value)
        self._pop_indent()
        self._pop_state()

    def _select_scalar_style(self, event: _YamlEvent) -> None:
        a = self.analysis
        style = event.style
        if self.simple_key_context and a.multiline:
            style = _DOUBLE
        if style == _PLAIN:
            if (self.flow_level and not a.flow_plain_allowed) or (not self.flow_level and not a.block_plain_allowed):
                style = _SINGLE
            if not event.value and (self.flow_level or self.simple_key_context):
                style = _SINGLE
        if style == _SINGLE and not a.single_quoted_allowed:
            style = _DOUBLE
        if style == _LITERAL and (not a.block_allowed or self.flow_level or self.simple_key_context):
            style = _DOUBLE
        self.style = style

    def _write_plain(self, value: str, allow_breaks: bool) -> None:
        if not self.whitespace:
            self._put(" ")
        spaces = breaks = False
        i = 0
        while i < len(value):
            char = value[i]
            if char == " ":
                if allow_breaks and not spaces and self.column > self.BEST_WIDTH and value[i + 1:i + 2] != " ":
                    self._write_indent()
                else:
                    self._put(char)
                spaces = True
            elif _is_break(char):
                if not breaks and char == "\n":
                    self._put_break()
                self._write_break(char)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self._write_indent()
                self._put(char)
                self.indention = False
                spaces = breaks = False
            i += 1
        self.whitespace = self.indention = False
        if self.root_context:
            self.open_ended = True

    def _write_break(self, char: str) -> None:
        if char == "\n":
            self._put_break()
        else:
            self.out.append(char)
            self.column = 0

    def _write_single_quoted(self, value: str, allow_breaks: bool) -> None:
        self._write_indicator("'", True, False, False)
        spaces = breaks = False
        for i, char in enumerate(value):
            if char == " ":
                if (allow_breaks and not spaces and self.column > self.BEST_WIDTH and 0 < i < len(value) - 1
                        and value[i + 1] != " "):
                    self._write_indent()
                else:
                    self._put(char)
                spaces = True
            elif _is_break(char):
                if not breaks and char == "\n":
                    self._put_break()
                self._write_break(char)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self._write_indent()
                self._put("''" if char == "'" else char)
                self.indention = False
                spaces = breaks = False
        self._write_indicator("'", False, False, False)
        self.whitespace = self.indention = False

    def _write_double_quoted(self, value: str, allow_breaks: bool) -> None:
        spaces = False
        self._write_indicator('"', True, False, False)
        bom = value.startswith("\ufeff")  # libyaml's is_bom looks at the value's start, not at position i:
        for i, char in enumerate(value):  # after a leading BOM every character is escaped
            if bom or not _is_printable(char) or _is_break(char) or char in '"\\':
                escaped = _DOUBLE_ESCAPES.get(char)
                if escaped is None:
                    code = ord(char)
                    escaped = (f"x{code:02X}" if code <= 0xFF else f"u{code:04X}" if code <= 0xFFFF
                               else f"U{code:08X}")
                self._put("\\" + escaped)
                spaces = False
            elif char == " ":
                if allow_breaks and not spaces and self.column > self.BEST_WIDTH and 0 < i < len(value) - 1:
                    self._write_indent()
                    if value[i + 1] == " ":
                        self._put("\\")
                else:
                    self._put(char)
                spaces = True
            else:
                self._put(char)
                spaces = False
        self._write_indicator('"', False, False, False)
        self.whitespace = self.indention = False

    def _write_block_scalar_hints(self, value: str) -> None:
        if value[:1] == " " or (value and _is_break(value[0])):
            self._write_indicator(str(self.BEST_INDENT), False, False, False)
        self.open_ended = False
        chomp = ""
        if not value or not _is_break(value[-1]):
            chomp = "-"
        elif len(value) == 1 or _is_break(value[-2]):
            chomp = "+"
            self.open_ended = True
        if chomp:
            self._write_indicator(chomp, False, False, False)

    def _write_literal(self, value: str) -> None:
        self._write_indicator("|", True, False, False)
        self._write_block_scalar_hints(value)
        self._put_break()
        self.indention = self.whitespace = True
        breaks = True
        for char in value:
            if _is_break(char):
                self._write_break(char)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self._write_indent()
                self._put(char)
                self.indention = False
                breaks = False


def yaml_encode(value: Value) -> str:
    """go-cty-yaml's Marshal: one implicit document, block style."""
    events = [_YamlEvent(_Y_STREAM_START), _YamlEvent(_Y_DOC_START)]
    _yaml_events(value, events)
    events += [_YamlEvent(_Y_DOC_END), _YamlEvent(_Y_STREAM_END)]
    return _YamlEmitter(events).run()


@builtin("yamlencode", [Param("value", cty.DYNAMIC, allow_null=True, allow_dynamic=True)], returns=cty.STRING)
def yamlencode(value: Value) -> Value:
    """YAML as go-cty-yaml writes it: strings always double-quoted (a literal block when they hold a
    newline), keys sorted, sets and tuples as sequences, long quoted lines folded at 80 columns, and a
    `...` document end after a plain top-level scalar."""
    if not value.is_wholly_known():  # call() passes a known collection holding unknowns through
        return cty.unknown(cty.STRING)
    return cty.string(yaml_encode(value))


# -- YAML decoding (go-cty-yaml's converter on libyaml's parser) ----------------------------------------------
# The events come from libyaml itself (PyYAML's C parser), the parser go-cty-yaml's is ported from; what
# go-cty-yaml makes of them is mirrored here: YAML 1.1 booleans (yes/no/on/off), YAML 1.2 core numbers
# (decimal, 0x hex, 0o octal), timestamps as RFC 3339 strings, !!binary kept as base64 text, anchors and
# aliases (not recursive ones), mappings as objects (keys converted to strings), sequences as tuples.

_YAML_TAG = "tag:yaml.org,2002:"
_STR_TAG, _BOOL_TAG, _INT_TAG, _FLOAT_TAG, _NULL_TAG, _TIMESTAMP_TAG, _BINARY_TAG, _SEQ_TAG, _MAP_TAG, \
    _MERGE_TAG = (_YAML_TAG + name for name in ("str", "bool", "int", "float", "null", "timestamp", "binary", "seq",
                                                "map", "merge"))
_RESOLVABLE_TAGS = frozenset(("", _STR_TAG, _BOOL_TAG, _INT_TAG, _FLOAT_TAG, _NULL_TAG, _TIMESTAMP_TAG,
                              _BINARY_TAG))


class _YamlError(Exception):
    """go-cty-yaml's positioned error: "on line L, column C: ..." where L is libyaml's 0-based line and C
    its column plus one; an error on line 0 carries no position at all."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(f"on line {line}, column {column + 1}: {message}" if line else message)


def _resolve_map() -> dict[str, Value]:
    found: dict[str, Value] = {}
    for value, names in ((cty.TRUE, "y Y yes Yes YES true True TRUE on On ON"),
                         (cty.FALSE, "n N no No NO false False FALSE off Off OFF"),
                         (cty.null(cty.DYNAMIC), "~ null Null NULL"),
                         (cty.number(_INFINITY), ".inf .Inf .INF +.inf +.Inf +.INF"),
                         (cty.number(-_INFINITY), "-.inf -.Inf -.INF")):
        for name in names.split():
            found[name] = value
    found[""] = cty.null(cty.DYNAMIC)
    return found


_INFINITY = Decimal("Infinity")
_RESOLVE = _resolve_map()
_BOOL_NAMES = frozenset(k for k, v in _RESOLVE.items() if v.type == cty.BOOL)
_HINTS = {**dict.fromkeys("+-", "S"), **dict.fromkeys("0123456789", "D"), **dict.fromkeys("yYnNtTfFoO~", "M"),
          ".": "."}
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_YAML_HEX = re.compile(r"0x[0-9a-fA-F]+")
_YAML_OCTAL = re.compile(r"0o[0-7]+")
_TIMESTAMP = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:([Tt ])([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})"
                        r"(?:[.,][0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?)?")


def _parse_timestamp(text: str) -> str | None:
    """go-cty-yaml's parseTimestamp (Go's time.Parse with its four layouts), as RFC 3339 text."""
    import calendar

    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return None
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    separator, zone = match.group(4), match.group(8)
    if separator in ("T", "t") and zone is None:
        return None
    if separator == " " and zone is not None:
        return None
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year or 2000, month)[1]:
        return None
    if year == 0 and month == 2 and day == 29:
        pass  # year 0 is a leap year in Go's proleptic calendar, as year 2000 used above
    hour = minute = second = 0
    if separator is not None:
        hour, minute, second = int(match.group(5)), int(match.group(6)), int(match.group(7))
        if hour >= 24 or minute >= 60 or second >= 60:
            return None
    offset = "Z"
    if zone and zone != "Z":
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        if hours > 24 or minutes > 60:
            return None
        if hours or minutes:
            offset = zone
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{offset}"


def _go_quote(text: str) -> str:
    from iac._go import go_quote

    return go_quote(text)


def _yaml_number(text: str) -> Value | None:
    from iac.lang.numbers import parse_number

    parsed = parse_number(text)
    return None if parsed is None else cty.number(parsed)


def _resolve_scalar(tag: str, src: str) -> Value:
    """go-cty-yaml's resolveScalar: what an untagged plain scalar or an explicitly tagged one means."""
    if tag not in _RESOLVABLE_TAGS:
        raise _YamlError(f"unsupported tag {_go_quote(tag)}")
    hint = _HINTS.get(src[0]) if src else "N"
    if hint is not None and tag not in (_STR_TAG, _BINARY_TAG):
        if src in _RESOLVE:
            return _RESOLVE[src]
        if src in (".nan", ".NaN", ".NAN"):
            raise _YamlError("floating point NaN is not supported")
        if hint == ".":
            number = _yaml_number(src)
            if number is not None:
                return number
        elif hint in ("D", "S"):
            if tag in ("", _TIMESTAMP_TAG):
                stamp = _parse_timestamp(src)
                if stamp is not None:
                    return cty.string(stamp)
            if _YAML_FLOAT.fullmatch(src):
                number = _yaml_number(src)
                if number is not None:
                    return number
            for pattern, base in ((_YAML_HEX, 16), (_YAML_OCTAL, 8)):
                if pattern.fullmatch(src):
                    parsed = int(src[2:], base)
                    if parsed < 2**64:
                        return cty.number(parsed)
                    tag = _INT_TAG
    if tag in (_STR_TAG, _BINARY_TAG):
        if tag == _BINARY_TAG:
            try:
                go_base64_decode(src.encode("utf-8"))
            except CorruptInputError as error:
                raise _YamlError(f"cannot parse {_go_quote(src)} as {tag}: not valid base64") from error
        return cty.string(src)
    if tag == _BOOL_TAG:
        if src in _BOOL_NAMES:
            return _RESOLVE[src]
        raise _YamlError(f"cannot parse {_go_quote(src)} as {tag}")
    if tag in (_FLOAT_TAG, _INT_TAG):
        plain = src.replace("_", "")
        number = _yaml_number(plain)
        if number is not None:
            return number
        integer = _go_parse_int(plain)
        if integer is not None:
            return cty.number(integer)
        raise _YamlError(f"cannot parse {_go_quote(src)} as {tag}")
    if tag == _TIMESTAMP_TAG:
        stamp = _parse_timestamp(src)
        if stamp is None:
            raise _YamlError(f"cannot parse {_go_quote(src)} as {tag}")
        return cty.string(stamp)
    if tag == _NULL_TAG:
        return cty.null(cty.DYNAMIC)
    return cty.string(src)


def _go_parse_int(text: str) -> int | None:
    """strconv.ParseInt(text, 0, 64), then ParseUint(text, 0, 64): base prefixes 0x, 0o, 0b and a leading
    0 for octal."""
    body = text.lstrip("+-")
    sign = -1 if text.startswith("-") else 1
    if not body or len(text) - len(body) > 1:
        return None
    lowered = body.lower()
    try:
        if lowered.startswith(("0x", "0o", "0b")):
            value = int(body[2:], {"x": 16, "o": 8, "b": 2}[lowered[1]]) if body[2:].isalnum() else None
        elif body.startswith("0") and len(body) > 1:
            value = int(body[1:], 8)
        else:
            value = int(body, 10)
    except ValueError:
        return None
    if value is None:
        return None
    value *= sign
    if -(2**63) <= value < 2**63 or (0 <= value < 2**64 and not text.startswith(("+", "-"))):
        return value
    return None


class _YamlDecoder:
    """go-cty-yaml's unmarshal over libyaml's events."""

    def __init__(self, text: str) -> None:
        try:
            from yaml._yaml import CParser
        except ImportError:  # PyYAML built without libyaml: its Python parser (same events, its own messages)
            from yaml.parser import Parser
            from yaml.reader import Reader
            from yaml.scanner import Scanner

            class CParser(Reader, Scanner, Parser):  # type: ignore[no-redef]
                def __init__(self, stream: bytes) -> None:
                    Reader.__init__(self, stream)
                    Scanner.__init__(self)
                    Parser.__init__(self)

        self.parser = CParser(text.encode("utf-8") if text else b"\n")
        self.pending: dict[str, int] = {}
        self.anchors: dict[str, Value] = {}

    def _next(self) -> Any:
        import yaml

        try:
            return self.parser.get_event()
        except yaml.MarkedYAMLError as error:
            raise _parser_error(error) from None
        except yaml.reader.ReaderError as error:
            raise _YamlError(error.reason) from None
        except yaml.YAMLError as error:
            raise _YamlError(str(error)) from None

    def decode(self) -> Value:
        self._next()  # STREAM-START
        event = self._next()
        kind = type(event).__name__
        if kind != "DocumentStartEvent":  # an empty stream too (Terraform's go-cty-yaml predates null for it)
            raise _event_error(event, "missing start of document")
        value = self._node(self._next())
        event = self._next()
        kind = type(event).__name__
        if kind != "DocumentEndEvent":
            raise _event_error(event, "unexpected extra content after value")
        event = self._next()
        if type(event).__name__ != "StreamEndEvent":
            raise _event_error(event, "unexpected extra content after value")
        return value

    def _node(self, event: Any) -> Value:
        kind = type(event).__name__
        if kind == "ScalarEvent":
            return self._scalar(event)
        if kind == "AliasEvent":
            return self._alias(event)
        if kind == "MappingStartEvent":
            return self._mapping(event)
        if kind == "SequenceStartEvent":
            return self._sequence(event)
        if kind == "DocumentStartEvent":
            raise _event_error(event, "only a single document is allowed")
        if kind == "StreamEndEvent":
            raise _event_error(event, "expecting value but found end of stream")
        raise _event_error(event, f"unexpected parser event {kind}")

    def _scalar(self, event: Any) -> Value:
        anchor = event.anchor
        if anchor:
            self.pending[anchor] = self.pending.get(anchor, 0) + 1
        value = self._scalar_value(event)
        if anchor:
            self._complete(anchor, value)
        return value

    @staticmethod
    def _scalar_value(event: Any) -> Value:
        """A quoted scalar is its text whatever its tag (an unsupported tag is still an error, and a
        !!binary one must be base64). An untagged block scalar (`|`, `>`) is typed string but its value is
        resolved first and then converted (go-cty-yaml takes the type from its ImpliedType pass and the
        value from Unmarshal): `|-` then `0x1F` is "31", an empty one is a null string. The rest are
        resolved."""
        tag = event.tag or ""
        try:
            if event.style in ("'", '"'):
                if tag and tag not in _RESOLVABLE_TAGS:
                    raise _YamlError(f"unsupported tag {_go_quote(tag)}")
                return _resolve_scalar(_BINARY_TAG, event.value) if tag == _BINARY_TAG else cty.string(event.value)
            if not tag and not event.implicit[0]:
                return cty.convert(_resolve_scalar("", event.value), cty.STRING)
            return _resolve_scalar(tag, event.value)
        except _YamlError as error:
            raise _event_error(event, str(error)) from None

    def _complete(self, anchor: str, value: Value) -> None:
        self.pending[anchor] -= 1
        if not self.pending[anchor]:
            del self.pending[anchor]
        self.anchors[anchor] = value

    def _alias(self, event: Any) -> Value:
        name = event.anchor
        if name in self.pending:
            raise _event_error(event, f"cannot refer to anchor {_go_quote(name)} from inside its own definition")
        if name not in self.anchors:
            raise _event_error(event, f"reference to undefined anchor {_go_quote(name)}")
        return self.anchors[name]

    def _mapping(self, event: Any) -> Value:
        tag, anchor = event.tag or "", event.anchor
        if tag not in ("", "!", _MAP_TAG) or tag == "!":
            raise _event_error(event, f"can't interpret mapping as {tag}")
        if anchor:
            self.pending[anchor] = self.pending.get(anchor, 0) + 1
        attrs: dict[str, Value] = {}
        while True:
            key_event = self._next()
            kind = type(key_event).__name__
            if kind == "MappingEndEvent":
                value = cty.object_value(attrs) if attrs else cty.EMPTY_OBJECT
                if anchor:
                    self._complete(anchor, value)
                return value
            if kind != "ScalarEvent":
                raise _event_error(key_event, "only strings are allowed as mapping keys")
            key = self._scalar_value(key_event)
            if key.v is None:
                raise _event_error(key_event, "mapping key cannot be null")
            try:
                key = cty.convert(key, cty.STRING)
            except cty.ConversionError:
                raise _event_error(key_event, "only strings are allowed as mapping keys") from None
            value = self._node(self._next())
            if key.v == "<<":  # a merge key, quoted or not: the mapping's attributes are assigned in turn
                if value.type.kind != "object":
                    raise _event_error(key_event, f"cannot merge {value.type.friendly()} into mapping")
                attrs.update(value.v)
                continue
            attrs[key.v] = value

    def _sequence(self, event: Any) -> Value:
        tag, anchor = event.tag or "", event.anchor
        if tag not in ("", _SEQ_TAG):
            raise _event_error(event, f"can't interpret sequence as {tag}")
        if anchor:
            self.pending[anchor] = self.pending.get(anchor, 0) + 1
        elems: list[Value] = []
        while True:
            item = self._next()
            if type(item).__name__ == "SequenceEndEvent":
                value = cty.tuple_value(elems) if elems else cty.EMPTY_TUPLE
                if anchor:
                    self._complete(anchor, value)
                return value
            elems.append(self._node(item))


def _event_error(event: Any, message: str) -> _YamlError:
    """go-cty-yaml's parseEventErrorf: the message at the event's start."""
    return _YamlError(message, event.start_mark.line, event.start_mark.column)


def _parser_error(error: Any) -> _YamlError:
    """go-cty-yaml's parserError: the problem at its mark (a scanner error at the start of the next line),
    else at the context's mark."""
    import yaml

    problem = error.problem or "invalid YAML syntax"
    mark = error.problem_mark
    if mark is not None and mark.line != 0:
        if isinstance(error, yaml.scanner.ScannerError):
            return _YamlError(problem, mark.line + 1, 0)
        return _YamlError(problem, mark.line, mark.column)
    context = error.context_mark
    if context is not None and context.line != 0:
        return _YamlError(problem, context.line, context.column)
    return _YamlError(problem)


def yaml_decode(text: str) -> Value:
    """go-cty-yaml's ImpliedType + Unmarshal of one YAML document. Raises ValueError with its message."""
    try:
        return _nfc_keys(_YamlDecoder(text).decode())
    except _YamlError as error:
        raise ValueError(str(error)) from None


def _yamldecode_type(args: Sequence[Value]) -> cty.Type:
    return yaml_decode(args[0].v).type if args[0].is_known and args[0].v is not None else cty.DYNAMIC


@builtin("yamldecode", [Param("src", cty.STRING)], returns=_yamldecode_type)
def yamldecode(text: Value) -> Value:
    """One YAML document to a value: mappings as objects, sequences as tuples, YAML 1.1 booleans
    (yes/no/on/off), numbers exact, timestamps as RFC 3339 strings; several documents, recursive aliases,
    unsupported tags and NaN are errors."""
    try:
        return yaml_decode(text.v)
    except ValueError as error:
        raise FunctionError(str(error)) from error
