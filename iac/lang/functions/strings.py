"""String functions: chomp, endswith, format, formatlist, indent, join, lower, regex, regexall, replace,
split, startswith, strcontains, strrev, substr, templatestring, title, trim, trimprefix, trimsuffix,
trimspace, upper."""

from __future__ import annotations

from collections.abc import Callable

from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.functions import Param, builtin


@builtin("upper", [Param("str", cty.STRING)], returns=cty.STRING)
def upper(text: Value) -> Value:
    return cty.string(_per_rune(text.v, str.upper))


def _per_rune(text: str, case: Callable[[str], str]) -> str:
    """Go's strings.ToUpper/ToLower map each rune to one rune: where Python would expand a character
    (`ß`.upper() == "SS"), Go keeps it."""
    out = []
    for char in text:
        mapped = case(char)
        out.append(mapped if len(mapped) == 1 else char)
    return "".join(out)
