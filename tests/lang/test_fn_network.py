"""IP network functions (cidrhost, cidrnetmask, cidrsubnet, cidrsubnets) against Terraform."""

from __future__ import annotations

import pytest

from iac.lang import cty
from tests.lang.test_fn_numeric import Case, check_against_terraform, n, secret

s = cty.string

PREFIXES = [
    "10.12.112.0/20", "192.168.1.5/24", "0.0.0.0/0", "255.255.255.255/32", "010.012.0.0/16", "10.0.0.0/08",
    "fd00:fd12:3456:7890:00a2::/72", "::/0", "::1/128", "2001:db8::/32", "::ffff:10.0.0.0/104", "::ffff:10.0.0.0/96",
    "::10.0.0.1/120", "2001:DB8:0:0:1::/80", "1:2:3:4:5:6:7:8/64", "fe80::1:2/127", "2001:db8::ffff:0:1/112",
    # invalid
    "10.12.112.0", "10.12.112.0/33", "10.12.112.0/-1", "10.12.112/20", "10.12.112.0.0/20", "256.0.0.0/8",
    "10.0.0.0/+8", "10.0.0.0/ 8", " 10.0.0.0/8", "10.0.0.0/8 ", "::/129", "1::2::3/64", "1:2:3:4:5:6:7:8:9/64",
    "12345::/16", "::ffff:1.2.3/104", "1:2:3:4:5:6:7::/64", "::1%eth0/64", "", "/", "10.0.0.0/", "x/8", "١٠.0.0.0/8",
    "1.2.3.4.5/8", "0x0a.0.0.0/8",
]

CASES: list[Case] = (
    [("cidrhost", [s(p), n(5)]) for p in PREFIXES]
    + [("cidrnetmask", [s(p)]) for p in PREFIXES]
    + [("cidrsubnet", [s(p), n(4), n(3)]) for p in PREFIXES]
    + [("cidrsubnets", [s(p), n(2), n(4), n(2)]) for p in PREFIXES if "ffff" not in p]
    + [
        # documentation
        ("cidrhost", [s("10.12.112.0/20"), n(16)]), ("cidrhost", [s("10.12.112.0/20"), n(268)]),
        ("cidrhost", [s("fd00:fd12:3456:7890:00a2::/72"), n(34)]), ("cidrnetmask", [s("172.16.0.0/12")]),
        ("cidrsubnet", [s("172.16.0.0/12"), n(4), n(2)]), ("cidrsubnet", [s("10.1.2.0/24"), n(4), n(15)]),
        ("cidrsubnet", [s("fd00:fd12:3456:7890::/56"), n(16), n(162)]),
        ("cidrsubnets", [s("10.1.0.0/16"), n(4), n(4), n(8), n(4)]),
        ("cidrsubnets", [s("fd00:fd12:3456:7890::/56"), n(16), n(16), n(16), n(32)]),
        # cidrhost edges
        ("cidrhost", [s("10.12.112.0/20"), n(-1)]), ("cidrhost", [s("10.12.112.0/20"), n(4095)]),
        ("cidrhost", [s("10.12.112.0/20"), n(4096)]), ("cidrhost", [s("10.12.112.0/20"), n(-4096)]),
        ("cidrhost", [s("10.12.112.0/20"), n(-4097)]), ("cidrhost", [s("10.12.112.0/20"), n("1.5")]),
        ("cidrhost", [s("10.12.112.0/20"), n("1e30")]), ("cidrhost", [s("::/0"), n(2**64)]),
        ("cidrhost", [s("::/0"), n(-1)]), ("cidrhost", [s("::/0"), n(2**128 - 1)]), ("cidrhost", [s("::/0"), n(2**128)]),
        ("cidrhost", [s("10.0.0.0/8"), n(2**64 + 3)]), ("cidrhost", [s("10.0.0.0/8"), n(2**63)]),
        ("cidrhost", [s("10.0.0.0/8"), n(2**64 - 1)]), ("cidrhost", [s("10.0.0.5/32"), n(0)]),
        ("cidrhost", [s("10.0.0.5/32"), n(1)]), ("cidrhost", [s("10.0.0.5/32"), n(-1)]),
        ("cidrhost", [s("::ffff:0.0.0.0/96"), n(-1)]), ("cidrhost", [s("::/96"), n(16909060)]),
        ("cidrhost", [s("10.0.0.0/8"), n("Infinity")]), ("cidrhost", [s("10.0.0.0/8"), s("7")]),
        ("cidrhost", [s("10.0.0.0/8"), s("x")]), ("cidrhost", [s("bad"), n("1.5")]),
        ("cidrhost", [s("10.0.0.0/8"), n("1e400")]), ("cidrsubnet", [s("10.0.0.0/8"), n(8), n("-1e200")]),
        # cidrsubnet edges
        ("cidrsubnet", [s("10.1.2.0/24"), n(4), n(16)]), ("cidrsubnet", [s("10.1.2.0/24"), n(9), n(0)]),
        ("cidrsubnet", [s("10.1.2.0/24"), n(8), n(255)]), ("cidrsubnet", [s("10.1.2.0/24"), n(0), n(0)]),
        ("cidrsubnet", [s("10.1.2.0/24"), n(0), n(1)]), ("cidrsubnet", [s("10.1.2.0/24"), n(-1), n(0)]),
        ("cidrsubnet", [s("10.1.2.0/24"), n(-24), n(0)]), ("cidrsubnet", [s("10.1.2.0/24"), n(-25), n(0)]),
        ("cidrsubnet", [s("10.1.2.0/24"), n(4), n(-1)]), ("cidrsubnet", [s("10.1.2.0/24"), n(4), n(-16)]),
        ("cidrsubnet", [s("::/0"), n(70), n(1)]), ("cidrsubnet", [s("::/0"), n(64), n(2**64)]),
        ("cidrsubnet", [s("::/0"), n(64), n(2**64 - 1)]), ("cidrsubnet", [s("::/0"), n(128), n(2**127)]),
        ("cidrsubnet", [s("::/64"), n(65), n(0)]), ("cidrsubnet", [s("10.1.2.0/24"), n("1.5"), n(0)]),
        ("cidrsubnet", [s("10.1.2.0/24"), n(4), n("0.5")]), ("cidrsubnet", [s("10.1.2.0/24"), n("1e30"), n(0)]),
        ("cidrsubnet", [s("bad"), n("1.5"), n(0)]), ("cidrsubnet", [s("bad"), n(1), n("0.5")]),
        ("cidrsubnet", [s("10.1.2.3/24"), n(2), n(1)]), ("cidrsubnet", [s("::ffff:10.1.2.0/120"), n(4), n(2)]),
        ("cidrsubnet", [s("10.1.2.0/24"), n(2**64 + 8), n(0)]), ("cidrsubnet", [s("10.1.2.0/24"), n(64), n(0)]),
        # cidrsubnets edges
        ("cidrsubnets", [s("10.1.0.0/16")]), ("cidrsubnets", [s("10.1.0.0/16"), n(0)]),
        ("cidrsubnets", [s("10.1.0.0/16"), n(33)]), ("cidrsubnets", [s("10.1.0.0/16"), n(17)]),
        ("cidrsubnets", [s("10.1.0.0/16"), n(1), n(1), n(1)]), ("cidrsubnets", [s("10.1.0.0/16"), n(8), n(4)]),
        ("cidrsubnets", [s("10.1.0.0/16"), n(1), n(1)]), ("cidrsubnets", [s("10.1.0.0/16"), n(4), n(1), n(1)]),
        ("cidrsubnets", [s("bad"), n(1)]), ("cidrsubnets", [s("10.1.0.0/16"), n("1.5")]),
        ("cidrsubnets", [s("10.1.0.0/16"), n(2), n("1.5")]), ("cidrsubnets", [s("10.1.0.0/16"), n(2), n(0)]),
        ("cidrsubnets", [s("0.0.0.0/0"), n(1), n(1)]), ("cidrsubnets", [s("0.0.0.0/0"), n(32)]),
        ("cidrsubnets", [s("255.255.255.0/24"), n(8), n(8)]), ("cidrsubnets", [s("::/0"), n(32), n(32), n(1)]),
        ("cidrsubnets", [s("ffff::/16"), n(32), n(16)]), ("cidrsubnets", [s("::/120"), n(8), n(8)]),
        ("cidrsubnets", [s("::/96"), n(32), n(33)]), ("cidrsubnets", [s("10.0.0.0/8"), n(24), n(24), n(24)]),
        ("cidrsubnets", [s("10.1.0.0/16"), n(3), n(2), n(1)]), ("cidrsubnets", [s("10.1.0.0/16"), n(1), n(2), n(3)]),
        # unknown, null, sensitive, wrong types, arity
        ("cidrhost", [cty.unknown(cty.STRING), n(1)]), ("cidrhost", [s("10.0.0.0/8"), cty.unknown(cty.NUMBER)]),
        ("cidrhost", [cty.null(cty.STRING), n(1)]), ("cidrhost", [s("10.0.0.0/8"), cty.null(cty.NUMBER)]),
        ("cidrhost", [secret(s("10.0.0.0/8")), n(1)]), ("cidrhost", [s("10.0.0.0/8"), secret(n(1))]),
        ("cidrhost", [s("10.0.0.0/8"), cty.TRUE]), ("cidrhost", [cty.tuple_value([]), n(1)]), ("cidrhost", [s("10.0.0.0/8")]),
        ("cidrnetmask", [cty.unknown(cty.DYNAMIC)]), ("cidrnetmask", [cty.null(cty.STRING)]),
        ("cidrnetmask", [secret(s("10.0.0.0/8"))]), ("cidrnetmask", [n(10)]), ("cidrnetmask", []),
        ("cidrsubnet", [s("10.0.0.0/8"), cty.unknown(cty.NUMBER), n(1)]), ("cidrsubnet", [s("10.0.0.0/8"), n(1), cty.null(cty.NUMBER)]),
        ("cidrsubnet", [secret(s("10.0.0.0/8")), n(8), n(1)]), ("cidrsubnet", [s("10.0.0.0/8"), n(8), secret(n(1))]),
        ("cidrsubnet", [s("10.0.0.0/8"), s("8"), s("1")]), ("cidrsubnet", [s("10.0.0.0/8"), n(8)]),
        ("cidrsubnets", [cty.unknown(cty.STRING), n(1)]), ("cidrsubnets", [s("10.0.0.0/8"), cty.unknown(cty.NUMBER)]),
        ("cidrsubnets", [s("10.0.0.0/8"), n(1), cty.null(cty.NUMBER)]), ("cidrsubnets", [secret(s("10.0.0.0/8")), n(1)]),
        ("cidrsubnets", [s("10.0.0.0/8"), n(1), secret(n(2))]), ("cidrsubnets", []), ("cidrsubnets", [s("10.0.0.0/8"), s("x")]),
    ]
)


@pytest.mark.oracle
def test_network_functions_match_terraform() -> None:
    assert check_against_terraform(CASES) == []
