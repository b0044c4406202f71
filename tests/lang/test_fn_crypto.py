"""Oracle tables for the hash and crypto functions: base64sha256, base64sha512, bcrypt, md5, rsadecrypt,
sha1, sha256, sha512, uuid, uuidv5."""

from __future__ import annotations

import base64

import pytest

from iac.lang import cty
from tests.lang.test_fn_encoding_support import (
    NULL_STRING,
    UNKNOWN_STRING,
    UNTYPED_NULL,
    Case,
    CaseLike,
    check_cases,
    s,
    sens,
)

HASHES = ["md5", "sha1", "sha256", "sha512", "base64sha256", "base64sha512"]

TEXTS = ["", "hello world", "Hello World", "é", "e\u0301", "日本語", "😀🎉", "\u0000", "a\nb\r\nc\t",
         "x" * 1000, "<>&\"'\\"]


def hash_cases() -> list[CaseLike]:
    cases: list[CaseLike] = []
    for name in HASHES:
        cases += [(name, [s(text)]) for text in TEXTS]
        cases += [
            (name, [UNKNOWN_STRING]),
            (name, [sens(s("secret"))]),
            (name, [NULL_STRING]),
            (name, [UNTYPED_NULL]),
            (name, [cty.number(12)]),
            (name, [cty.TRUE]),
            (name, [cty.tuple_value([])]),
            (name, []),
            (name, [s("a"), s("b")]),
        ]
    return cases


def uuid_cases() -> list[CaseLike]:
    namespaces = ["dns", "url", "oid", "x500", "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                  "6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "{6ba7b810-9dad-11d1-80b4-00c04fd430c8}",
                  "(6ba7b810-9dad-11d1-80b4-00c04fd430c8)", "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                  "URN:UUID:6ba7b810-9dad-11d1-80b4-00c04fd430c8", "6ba7b8109dad11d180b400c04fd430c8",
                  "DNS", "", "nope", "6ba7b810-9dad-11d1-80b4-00c04fd430c", "6ba7b810x9dad-11d1-80b4-00c04fd430c8",
                  "6ba7b810-9dad-11d1-80b4-00c04fd430cg", "urn:uuix:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                  "6ba7b8109dad11d180b400c04fd430cz", "é6ba7b810-9dad-11d1-80b4-00c04fd430c"]
    cases: list[CaseLike] = [("uuidv5", [s(ns), s("www.terraform.io")]) for ns in namespaces]
    cases += [("uuidv5", [s("dns"), s(name)]) for name in ["", "example.com", "日本", "😀"]]
    cases += [
        ("uuidv5", [s("url"), s("https://www.terraform.io/")]),
        ("uuidv5", [s("oid"), s("1.3.6.1.4")]),
        ("uuidv5", [s("x500"), s("CN=Terraform,O=HashiCorp,C=US")]),
        ("uuidv5", [s("743ac3c0-3bf7-4a5b-9e6c-59360447c757"), s("LIBS:diskfont.library")]),
        ("uuidv5", [UNKNOWN_STRING, s("a")]),
        ("uuidv5", [s("dns"), UNKNOWN_STRING]),
        ("uuidv5", [sens(s("dns")), s("a")]),
        ("uuidv5", [s("dns"), sens(s("a"))]),
        ("uuidv5", [NULL_STRING, s("a")]),
        ("uuidv5", [s("dns"), NULL_STRING]),
        ("uuidv5", [s("dns"), cty.number(1)]),
        ("uuidv5", [s("dns")]),
        ("uuid", []),
        ("uuid", [s("x")]),
        ("bcrypt", [s("hello world")]),
        ("bcrypt", [s("hello world"), cty.number(5)]),
        ("bcrypt", [s("hello world"), cty.number(5), cty.number(6)]),
        ("bcrypt", [s("x"), s("five")]),
        ("bcrypt", [s("x"), s("12")]),
        ("bcrypt", [s("x"), cty.TRUE]),
        ("uuidv5", [s("dns"), cty.object_value({"a": s("b")})]),
        ("bcrypt", [NULL_STRING]),
        ("bcrypt", [s("x"), cty.null(cty.NUMBER)]),
        ("bcrypt", [sens(s("x"))]),
        ("bcrypt", [UNKNOWN_STRING]),
        ("bcrypt", [cty.tuple_value([])]),
        ("bcrypt", []),
    ]
    return cases


def _rsa_material() -> tuple[str, str, str, str, str]:
    """A PKCS #1 and a PKCS #8 PEM of one key, another key, and a ciphertext for each format."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = rsa.generate_private_key(65537, 1024)
    other = rsa.generate_private_key(65537, 1024)
    pkcs1 = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                              serialization.NoEncryption()).decode()
    pkcs8 = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()).decode()
    other_pem = other.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                    serialization.NoEncryption()).decode()
    cipher = base64.b64encode(key.public_key().encrypt("Hello, wörld 😀".encode(), padding.PKCS1v15())).decode()
    empty = base64.b64encode(key.public_key().encrypt(b"", padding.PKCS1v15())).decode()
    return pkcs1, pkcs8, other_pem, cipher, empty


def rsa_cases() -> list[CaseLike]:
    pkcs1, pkcs8, other, cipher, empty = _rsa_material()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    ec_pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()).decode()
    return [
        ("rsadecrypt", [s(cipher), s(pkcs1)]),
        ("rsadecrypt", [s(cipher), s(pkcs8)]),
        ("rsadecrypt", [s(empty), s(pkcs1)]),
        ("rsadecrypt", [s("prefix text\n" + cipher), s(pkcs1)]),
        ("rsadecrypt", [s(cipher), s("some preamble\n" + pkcs1)]),
        ("rsadecrypt", [s(cipher), s(other)]),
        ("rsadecrypt", [s("bm90IGVuY3J5cHRlZA=="), s(pkcs1)]),
        ("rsadecrypt", [s(""), s(pkcs1)]),
        ("rsadecrypt", [s(cipher), s("")]),
        ("rsadecrypt", [s(cipher), s("not a key")]),
        Case("rsadecrypt", [s(cipher), s(ec_pem)], message=False),
        ("rsadecrypt", [s(cipher), s(pkcs1.replace("RSA PRIVATE KEY", "FOO PRIVATE KEY"))]),
        Case("rsadecrypt", [s(cipher), s("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")],
             message=False),
        ("rsadecrypt", [sens(s(cipher)), s(pkcs1)]),
        ("rsadecrypt", [s(cipher), sens(s(pkcs1))]),
        ("rsadecrypt", [UNKNOWN_STRING, s(pkcs1)]),
        ("rsadecrypt", [s(cipher), UNKNOWN_STRING]),
        ("rsadecrypt", [NULL_STRING, s(pkcs1)]),
        ("rsadecrypt", [s(cipher), NULL_STRING]),
        ("rsadecrypt", [s(cipher)]),
    ]


@pytest.mark.oracle
def test_hashes_match_terraform() -> None:
    check_cases(hash_cases())


@pytest.mark.oracle
def test_uuid_and_bcrypt_match_terraform() -> None:
    check_cases(uuid_cases())


@pytest.mark.oracle
def test_rsadecrypt_matches_terraform() -> None:
    check_cases(rsa_cases())
