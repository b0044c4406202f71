"""IP network functions: cidrhost, cidrnetmask, cidrsubnet, cidrsubnets.

Terraform parses prefixes with its copy of Go 1.16's `net.ParseCIDR` (internal/ipaddr), which still
accepts leading zeros in IPv4 octets as decimal ("010.0.0.0/8" is 10.0.0.0/8), and computes with the
go-cidr library, whose quirks are kept: a negative host number counts back from the end of the range,
cidrsubnet's newbits may be negative (a shorter prefix), a negative netnum leaves only its magnitude's
bits, and results are written as Go writes IP addresses (IPv4-mapped IPv6 as dotted IPv4).
"""

from __future__ import annotations

from dataclasses import dataclass

from iac.lang import cty, numbers
from iac.lang.cty import Value
from iac.lang.functions import FunctionError, Param, builtin

_BIG = 0xFFFFFF
_V4_IN_V6 = bytes(10) + b"\xff\xff"


# -- Go's net package (1.16), as Terraform's ipaddr keeps it ---------------------------------------


def _dtoi(s: str) -> tuple[int, int, bool]:
    n = i = 0
    while i < len(s) and "0" <= s[i] <= "9":
        n = n * 10 + ord(s[i]) - 48
        if n >= _BIG:
            return _BIG, i, False
        i += 1
    return (n, i, True) if i else (0, 0, False)


def _xtoi(s: str) -> tuple[int, int, bool]:
    n = i = 0
    while i < len(s):
        c = s[i]
        if "0" <= c <= "9":
            d = ord(c) - 48
        elif "a" <= c <= "f":
            d = ord(c) - 87
        elif "A" <= c <= "F":
            d = ord(c) - 55
        else:
            break
        n = n * 16 + d
        if n >= _BIG:
            return 0, i, False
        i += 1
    return (n, i, True) if i else (0, 0, False)


def _parse_ipv4(s: str) -> bytes | None:
    """Four decimal octets (leading zeros allowed), as a 16-byte IPv4-in-IPv6 address."""
    octets = []
    for i in range(4):
        if not s:
            return None
        if i > 0:
            if s[0] != ".":
                return None
            s = s[1:]
        n, c, ok = _dtoi(s)
        if not ok or n > 0xFF:
            return None
        s = s[c:]
        octets.append(n)
    if s:
        return None
    return _V4_IN_V6 + bytes(octets)


def _parse_ipv6(s: str) -> bytes | None:
    ip = bytearray(16)
    ellipsis = -1
    if len(s) >= 2 and s[0] == ":" and s[1] == ":":
        ellipsis = 0
        s = s[2:]
        if not s:
            return bytes(ip)
    i = 0
    while i < 16:
        n, c, ok = _xtoi(s)
        if not ok or n > 0xFFFF:
            return None
        if c < len(s) and s[c] == ".":
            if ellipsis < 0 and i != 12:
                return None
            if i + 4 > 16:
                return None
            ip4 = _parse_ipv4(s)
            if ip4 is None:
                return None
            ip[i:i + 4] = ip4[12:]
            s = ""
            i += 4
            break
        ip[i], ip[i + 1] = n >> 8, n & 0xFF
        i += 2
        s = s[c:]
        if not s:
            break
        if s[0] != ":" or len(s) == 1:
            return None
        s = s[1:]
        if s[0] == ":":
            if ellipsis >= 0:
                return None
            ellipsis = i
            s = s[1:]
            if not s:
                break
    if s:
        return None
    if i < 16:
        if ellipsis < 0:
            return None
        n = 16 - i
        ip[ellipsis + n:i + n] = ip[ellipsis:i]
        ip[ellipsis:ellipsis + n] = bytes(n)
    elif ellipsis >= 0:
        return None
    return bytes(ip)


def _to4(ip: bytes) -> bytes | None:
    if len(ip) == 4:
        return ip
    if len(ip) == 16 and ip[:12] == _V4_IN_V6:
        return ip[12:]
    return None


def cidr_mask(ones: int, bits: int) -> bytes | None:
    """Go's net.CIDRMask: None when ones is out of range."""
    if bits not in (32, 128) or ones < 0 or ones > bits:
        return None
    value = ((1 << ones) - 1) << (bits - ones)
    return value.to_bytes(bits // 8, "big")


def _mask_ip(ip: bytes, mask: bytes | None) -> bytes | None:
    """Go's IP.Mask."""
    if mask is None:
        return None
    if len(mask) == 16 and len(ip) == 4 and mask[:12] == b"\xff" * 12:
        mask = mask[12:]
    if len(mask) == 4 and len(ip) == 16 and ip[:12] == _V4_IN_V6:
        ip = ip[12:]
    if len(ip) != len(mask):
        return None
    return bytes(a & b for a, b in zip(ip, mask, strict=True))


def ip_string(ip: bytes | None) -> str:
    """Go's IP.String: dotted IPv4 (IPv4-mapped IPv6 too), else RFC 5952 IPv6."""
    if not ip:
        return "<nil>"
    if len(ip) not in (4, 16):
        return "?" + ip.hex()
    v4 = _to4(ip)
    if v4 is not None:
        return ".".join(str(b) for b in v4)
    groups = [int.from_bytes(ip[i:i + 2], "big") for i in range(0, 16, 2)]
    best, best_len, i = -1, 0, 0
    while i < 8:
        j = i
        while j < 8 and groups[j] == 0:
            j += 1
        if j - i > best_len and j - i >= 2:
            best, best_len = i, j - i
        i = j + 1 if j == i else j
    if best < 0:
        return ":".join(f"{g:x}" for g in groups)
    head = ":".join(f"{g:x}" for g in groups[:best])
    tail = ":".join(f"{g:x}" for g in groups[best + best_len:])
    return f"{head}::{tail}"


def _mask_size(mask: bytes) -> tuple[int, int]:
    """Go's IPMask.Size: (ones, bits), (0, 0) for a non-canonical mask."""
    value = int.from_bytes(mask, "big")
    bits = len(mask) * 8
    ones = bits - ((~value & ((1 << bits) - 1)).bit_length())
    if cidr_mask(ones, bits) != mask:
        return 0, 0
    return ones, bits


@dataclass(frozen=True)
class IPNet:
    ip: bytes
    mask: bytes | None

    def _number_and_mask(self) -> tuple[bytes, bytes] | None:
        ip = _to4(self.ip)
        if ip is None:
            ip = self.ip
            if len(ip) != 16:
                return None
        mask = self.mask
        if mask is None:
            return None
        if len(mask) == 4:
            if len(ip) != 4:
                return None
        elif len(mask) == 16:
            if len(ip) == 4:
                mask = mask[12:]
        else:
            return None
        return ip, mask

    def __str__(self) -> str:
        found = self._number_and_mask()
        if found is None:
            return "<nil>"
        ip, mask = found
        ones, bits = _mask_size(mask)
        if ones == 0 and bits == 0 and any(mask):
            return ip_string(ip) + "/" + ip_string(mask)
        return f"{ip_string(ip)}/{ones}"

    def contains(self, other: bytes) -> bool:
        found = self._number_and_mask()
        if found is None:
            return False
        nn, mask = found
        ip = _to4(other) or other
        if len(ip) != len(nn):
            return False
        return all(a & m == b & m for a, b, m in zip(nn, ip, mask, strict=True))


def parse_cidr(text: str) -> IPNet:
    """Go's net.ParseCIDR (ValueError: "invalid CIDR address: TEXT")."""
    slash = text.find("/")
    if slash < 0:
        raise ValueError(f"invalid CIDR address: {text}")
    addr, mask_text = text[:slash], text[slash + 1:]
    iplen = 4
    ip = _parse_ipv4(addr)
    if ip is None:
        iplen = 16
        ip = _parse_ipv6(addr)
    n, i, ok = _dtoi(mask_text)
    if ip is None or not ok or i != len(mask_text) or n < 0 or n > 8 * iplen:
        raise ValueError(f"invalid CIDR address: {text}")
    mask = cidr_mask(n, 8 * iplen)
    network = _mask_ip(ip, mask)
    assert network is not None and mask is not None
    return IPNet(network, mask)


# -- go-cidr ------------------------------------------------------------------------------------


def _ip_to_int(ip: bytes) -> tuple[int, int]:
    if len(ip) not in (4, 16):
        raise FunctionError(f"panic in function implementation: Unsupported address length {len(ip)}")
    return int.from_bytes(ip, "big"), len(ip) * 8


def _int_to_ip(value: int, bits: int) -> bytes:
    """go-cidr's intToIP: big.Int.Bytes() (the magnitude) packed at the end; too many bytes panic."""
    raw = abs(value).to_bytes((abs(value).bit_length() + 7) // 8, "big")
    size = bits // 8
    if len(raw) > size:
        raise FunctionError("panic in function implementation: runtime error: index out of range [-1]")
    return bytes(size - len(raw)) + raw


def _insert_num(ip: bytes, num: int, prefix_len: int) -> bytes:
    value, total = _ip_to_int(ip)
    return _int_to_ip(value | (num << (total - prefix_len)), total)


def _uint64(num: int) -> int:
    """big.Int.Uint64: the low 64 bits of the magnitude."""
    return abs(num) & 0xFFFFFFFFFFFFFFFF


def _int64(u: int) -> int:
    return u - (1 << 64) if u >= 1 << 63 else u


def host_big(base: IPNet, num: int) -> bytes:
    assert base.mask is not None
    parent_len, addr_len = _mask_size(base.mask)
    max_host = (1 << (addr_len - parent_len)) - 1
    num_u = _int64(_uint64(num))
    if num < 0:
        num_u = -num - 1
        num = max_host - num_u
    if num_u > max_host:
        raise FunctionError(f"prefix of {parent_len} does not accommodate a host numbered {num}.")
    return _insert_num(base.ip, num, 32 if _to4(base.ip) is not None else 128)


def subnet_big(base: IPNet, new_bits: int, num: int) -> IPNet:
    assert base.mask is not None
    parent_len, addr_len = _mask_size(base.mask)
    new_len = parent_len + new_bits
    if new_len > addr_len:
        raise FunctionError(f"insufficient address space to extend prefix of {parent_len} by {new_bits}.")
    shift = new_bits & 0xFFFFFFFFFFFFFFFF  # Go: uint64(newBits), a shift past 63 gives 0
    max_num = (((1 << shift) if shift < 64 else 0) - 1) & 0xFFFFFFFFFFFFFFFF
    if _uint64(num) > max_num:
        raise FunctionError(f"prefix extension of {new_bits} does not accommodate a subnet numbered {num}.")
    return IPNet(_insert_num(base.ip, num, new_len), cidr_mask(new_len, addr_len))


def _address_range_last(network: IPNet) -> bytes:
    assert network.mask is not None
    prefix, bits = _mask_size(network.mask)
    if prefix == bits:
        return network.ip
    value, bits = _ip_to_int(network.ip)
    return _int_to_ip(((1 << (bits - prefix)) - 1) | value, bits)


def _step(ip: bytes, delta: int) -> bytes:
    """go-cidr's Inc/Dec: wrapping arithmetic on the address bytes, after checkIPv4 (an IPv4-mapped IPv6
    address steps as the IPv4 address it maps: ::ffff:ffff:ffff + 1 is 0.0.0.0, a rollover)."""
    ip = _to4(ip) or ip
    size = len(ip)
    return ((int.from_bytes(ip, "big") + delta) % (1 << (8 * size))).to_bytes(size, "big")


def previous_subnet(network: IPNet, prefix_len: int) -> IPNet:
    start = _to4(network.ip) or network.ip
    mask = cidr_mask(prefix_len, 8 * len(start))
    return IPNet(_mask_ip(_step(start, -1), mask) or b"", mask)


def next_subnet(network: IPNet, prefix_len: int) -> tuple[IPNet, bool]:
    last = _address_range_last(network)
    mask = cidr_mask(prefix_len, 8 * len(last))
    current = IPNet(_mask_ip(last, mask) or b"", mask)
    following = _step(_address_range_last(current), 1)
    return IPNet(_mask_ip(following, mask) or b"", mask), not any(following)


# -- argument conversions as gocty does them -------------------------------------------------------


def _big_int(n: numbers.Number) -> int | None:
    if numbers.is_infinite(n):
        return None
    fraction = numbers.to_fraction(n) if isinstance(n, int) else numbers.binary_value(n)
    return int(fraction) if fraction.denominator == 1 else None


_INT_ERROR = "value must be a whole number, between -9223372036854775808 and 9223372036854775807"


def _go_int(n: numbers.Number) -> int | None:
    value = _big_int(n)
    return value if value is not None and -(2**63) <= value < 2**63 else None


def _parse(prefix: Value) -> IPNet:
    try:
        return parse_cidr(prefix.v)
    except ValueError as error:
        raise FunctionError(f"invalid CIDR expression: {error}.") from None


# -- the functions ------------------------------------------------------------------------------


@builtin("cidrhost", [Param("prefix", cty.STRING), Param("hostnum", cty.NUMBER)], returns=cty.STRING)
def cidrhost(prefix: Value, hostnum: Value) -> Value:
    """A negative host number counts back from the last address (-1 is the last)."""
    num = _big_int(hostnum.v)
    if num is None:
        raise FunctionError("value must be a whole number.")
    return cty.string(ip_string(host_big(_parse(prefix), num)))


@builtin("cidrnetmask", [Param("prefix", cty.STRING)], returns=cty.STRING)
def cidrnetmask(prefix: Value) -> Value:
    """IPv4 only (an IPv4-mapped IPv6 prefix counts as IPv4 and gets a 16-byte mask)."""
    network = _parse(prefix)
    if _to4(network.ip) is None:
        raise FunctionError(f"IPv6 addresses cannot have a netmask: {prefix.v}.")
    return cty.string(ip_string(network.mask))


@builtin("cidrsubnet", [Param("prefix", cty.STRING), Param("newbits", cty.NUMBER), Param("netnum", cty.NUMBER)],
         returns=cty.STRING)
def cidrsubnet(prefix: Value, newbits: Value, netnum: Value) -> Value:
    bits = _go_int(newbits.v)
    if bits is None:
        raise FunctionError(_INT_ERROR + ".")
    num = _big_int(netnum.v)
    if num is None:
        raise FunctionError("value must be a whole number.")
    network = _parse(prefix)
    return cty.string(str(subnet_big(network, bits, num)))


@builtin("cidrsubnets", [Param("prefix", cty.STRING)], variadic=Param("newbits", cty.NUMBER),
         returns=cty.list_of(cty.STRING))
def cidrsubnets(prefix: Value, *newbits: Value) -> Value:
    """Consecutive subnets, each aligned after the previous one, all within the prefix."""
    try:
        network = parse_cidr(prefix.v)
    except ValueError as error:
        raise FunctionError(f'Invalid value for "prefix" parameter: invalid CIDR expression: {error}.',
                            argument=0) from None
    assert network.mask is not None
    start_len, _ = _mask_size(network.mask)
    if not newbits:
        return cty.list_value([], cty.STRING)

    def length_of(index: int) -> int:
        value = _go_int(newbits[index].v)
        if value is None:
            raise FunctionError(f'Invalid value for "newbits" parameter: {_INT_ERROR}.', argument=index + 1)
        return value

    current = previous_subnet(network, length_of(0) + start_len)
    results = []
    for index in range(len(newbits)):
        length = length_of(index)

        def fail(message: str, at: int = index) -> FunctionError:
            return FunctionError(f'Invalid value for "newbits" parameter: {message}.', argument=at + 1)

        if length < 1:
            raise fail("must extend prefix by at least one bit")
        if length > 32:
            raise fail("may not extend prefix by more than 32 bits")
        length += start_len
        address_bits = len(network.ip) * 8
        if length > address_bits:
            protocol = {32: "IPv4", 128: "IPv6"}.get(address_bits, "IP")
            raise fail(f"would extend prefix to {length} bits, which is too long for an {protocol} address")
        following, rollover = next_subnet(current, length)
        if rollover or not network.contains(following.ip):
            raise fail(f"not enough remaining address space for a subnet with a prefix of {length} bits after "
                       f"{current}")
        current = following
        results.append(cty.string(str(current)))
    return cty.list_value(results)
