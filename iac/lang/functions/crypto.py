"""Hash and crypto functions: base64sha256, base64sha512, bcrypt, md5, rsadecrypt, sha1, sha256, sha512,
uuid, uuidv5 (Terraform's internal/lang/funcs/crypto.go).

Strings are hashed as their UTF-8 bytes. `bcrypt` and `uuid` are impure: Terraform leaves their result
unknown during plan (`known_at_plan=False`), so iac never needs a real bcrypt during planning.
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid as _uuid
from typing import Any

from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.functions import FunctionError, Param, builtin
from iac.lang.functions.encoding import CorruptInputError, go_base64_decode

__all__ = ["hash_text"]


def hash_text(data: bytes, algorithm: str, encoding: str) -> str:
    """`data` hashed with `algorithm` (hashlib name), as lowercase hex or standard base64."""
    digest = hashlib.new(algorithm, data).digest()
    return digest.hex() if encoding == "hex" else base64.b64encode(digest).decode("ascii")


def _string_hash(name: str, algorithm: str, encoding: str) -> None:
    def impl(text: Value) -> Value:
        return cty.string(hash_text(text.v.encode("utf-8"), algorithm, encoding))

    impl.__doc__ = f"{name}: the {algorithm} of the string's UTF-8 bytes, {encoding}-encoded."
    builtin(name, [Param("str", cty.STRING)], returns=cty.STRING)(impl)


for _name, _algorithm, _encoding in (("md5", "md5", "hex"), ("sha1", "sha1", "hex"), ("sha256", "sha256", "hex"),
                                     ("sha512", "sha512", "hex"), ("base64sha256", "sha256", "base64"),
                                     ("base64sha512", "sha512", "base64")):
    _string_hash(_name, _algorithm, _encoding)


@builtin("bcrypt", [Param("str", cty.STRING)], variadic=Param("cost", cty.NUMBER), returns=cty.STRING,
         known_at_plan=False)
def bcrypt(text: Value, *cost: Value) -> Value:
    """Impure (a random salt): Terraform evaluates it only during apply, so a plan sees it unknown. The
    arguments are still converted and checked (a wrong type or a null is an error during plan)."""
    return cty.unknown(cty.STRING)


@builtin("uuid", [], returns=cty.STRING, known_at_plan=False)
def uuid() -> Value:
    """Impure: unknown during plan; a random version 4 UUID when applied."""
    return cty.string(str(_uuid.uuid4()))


_NAMESPACES = {"dns": _uuid.NAMESPACE_DNS, "url": _uuid.NAMESPACE_URL, "oid": _uuid.NAMESPACE_OID,
               "x500": _uuid.NAMESPACE_X500}


@builtin("uuidv5", [Param("namespace", cty.STRING), Param("name", cty.STRING)], returns=cty.STRING)
def uuidv5(namespace: Value, name: Value) -> Value:
    """A version 5 (SHA-1) UUID of `name`'s UTF-8 bytes in `namespace`: "dns", "url", "oid", "x500" or a
    UUID in any form google/uuid's Parse accepts (with or without dashes, braces or a urn:uuid: prefix)."""
    space = _NAMESPACES.get(namespace.v)
    if space is None:
        try:
            space = _parse_uuid(namespace.v)
        except ValueError as error:
            raise FunctionError(f"uuidv5() doesn't support namespace {namespace.v} ({error})") from error
    digest = bytearray(hashlib.sha1(space.bytes + name.v.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    return cty.string(str(_uuid.UUID(bytes=bytes(digest))))


_HEX = re.compile(rb"[0-9a-fA-F]{2}")


def _parse_uuid(text: str) -> _uuid.UUID:
    """google/uuid's Parse, with its error wording. Lengths are in bytes, as in Go."""
    data = text.encode("utf-8")
    if len(data) == 32:
        return _uuid.UUID(bytes=_hex_bytes(data, range(0, 32, 2)))
    if len(data) == 36 + 9:
        if data[:9].lower() != b"urn:uuid:":
            raise ValueError(f"invalid urn prefix: {_go_quote_bytes(data[:9])}")
        data = data[9:]
    elif len(data) == 36 + 2:
        data = data[1:]  # Go checks neither brace
    elif len(data) != 36:
        raise ValueError(f"invalid UUID length: {len(data)}")
    if data[8:9] != b"-" or data[13:14] != b"-" or data[18:19] != b"-" or data[23:24] != b"-":
        raise ValueError("invalid UUID format")
    return _uuid.UUID(bytes=_hex_bytes(data, (0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34)))


def _hex_bytes(data: bytes, offsets: range | tuple[int, ...]) -> bytes:
    out = bytearray()
    for offset in offsets:
        pair = data[offset:offset + 2]
        if not _HEX.fullmatch(pair):
            raise ValueError("invalid UUID format")
        out.append(int(pair, 16))
    return bytes(out)


def _go_quote_bytes(data: bytes) -> str:
    from iac._go import go_quote

    return go_quote(data.decode("utf-8", errors="replace"))


@builtin("rsadecrypt", [Param("ciphertext", cty.STRING), Param("privatekey", cty.STRING)], returns=cty.STRING)
def rsadecrypt(ciphertext: Value, privatekey: Value) -> Value:
    """Decrypts base64 `ciphertext` (RSA PKCS #1 v1.5) with a PEM private key (PKCS #1, PKCS #8 or
    OpenSSH). The decrypted bytes become the string as they are (Go does not check them as UTF-8; iac
    decodes them leniently)."""
    from iac._go import go_quote

    try:
        data = go_base64_decode(ciphertext.v.encode("utf-8"))
    except CorruptInputError as error:
        raise FunctionError(f"failed to decode input {go_quote(ciphertext.v)}: cipher text must be base64-encoded",
                            argument=0) from error
    key = _parse_private_key(privatekey.v)
    from cryptography.hazmat.primitives.asymmetric import rsa

    if not isinstance(key, rsa.RSAPrivateKey):
        raise FunctionError(f"invalid private key type {_go_key_type(key)}", argument=1)
    plain = _pkcs1v15_decrypt(key, data)
    if plain is None:
        raise FunctionError("failed to decrypt: crypto/rsa: decryption error")
    return cty.string(plain.decode("utf-8", errors="replace"))


def _pkcs1v15_decrypt(key: Any, data: bytes) -> bytes | None:
    """Go's rsa.DecryptPKCS1v15, done here with the raw RSA operation: OpenSSL (through `cryptography`)
    answers a padding failure with random bytes (implicit rejection) where Go reports an error."""
    numbers = key.private_numbers()
    modulus, size = numbers.public_numbers.n, (key.key_size + 7) // 8
    if size < 11 or len(data) > size:
        return None
    cipher = int.from_bytes(data, "big")
    if cipher >= modulus:
        return None
    message = pow(cipher, numbers.d, modulus).to_bytes(size, "big")
    separator = message.find(b"\x00", 2)
    if message[0] != 0 or message[1] != 2 or separator < 10:
        return None
    return message[separator + 1:]


_PEM = re.compile(r"-----BEGIN ([^\n-]*)-----\r?\n(.*?)-----END \1-----", re.DOTALL)


def _parse_private_key(text: str) -> object:
    """golang.org/x/crypto/ssh's ParseRawPrivateKey: the first PEM block picks the key format."""
    from cryptography.hazmat.primitives import serialization

    block = _PEM.search(text)
    body = None
    kind = ""
    if block is not None:
        kind, content = block.group(1), block.group(2)
        headers, _, rest = content.partition("\n\n") if ":" in content.split("\n", 1)[0] else ("", "", content)
        if "ENCRYPTED" in headers:
            raise FunctionError("invalid private key: ssh: this private key is passphrase protected", argument=1)
        try:
            body = base64.b64decode("".join(rest.split()), validate=True)
        except ValueError:
            body = None
    if body is None:
        raise FunctionError("invalid private key: ssh: no key found", argument=1)
    if kind not in ("RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY"):
        raise FunctionError(f'invalid private key: ssh: unsupported key type "{kind}"', argument=1)
    try:
        if kind == "OPENSSH PRIVATE KEY":
            return serialization.load_ssh_private_key(block.group(0).encode("ascii"), password=None)  # type: ignore[union-attr]
        return serialization.load_der_private_key(body, password=None)
    except (ValueError, TypeError) as error:
        raise FunctionError(f"invalid private key: {error}", argument=1) from error


def _go_key_type(key: object) -> str:
    """What Go's `%t` prints for a non-RSA key pointer (Terraform's message is that odd)."""
    return f"%!t(*{type(key).__name__})"

