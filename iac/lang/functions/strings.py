"""String functions: chomp, endswith, format, formatlist, indent, join, lower, regex, regexall, replace,
split, startswith, strcontains, strrev, substr, templatestring, title, trim, trimprefix, trimsuffix,
trimspace, upper — as Terraform 1.15 (go-cty v1.18, Go 1.25) computes them.

Conventions shared by the family:
- Every string result is NFC-normalized, because cty's `StringVal` normalizes every string it makes:
  `join("", ["e", "\\u0301"])` is "é" (one code point) in Terraform.
- "Characters" are grapheme clusters where cty counts them (`strrev`, `substr`, `format` widths):
  see `_textseg`. `upper`, `lower`, `title` and `trim*` work rune by rune, as Go's `strings` does.
- An error that Terraform reports against one argument (`Invalid value for "lists" parameter: ...`)
  is a FunctionError with `argument` set and that whole wording; any other error carries cty's bare
  message (the evaluator adds `Call to function "NAME" failed: ` and Terraform's final period).
- Regular expressions are Go's (RE2 syntax): see `_goregexp` for how they run on the `regex` module and
  the few places they can differ.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from iac._go import go_quote
from iac.lang import cty
from iac.lang.cty import ConversionError, Type, Value
from iac.lang.functions import FunctionContext, FunctionError, Param, builtin
from iac.lang.functions._gofmt import FormatError, format_values
from iac.lang.functions._goregexp import GoRegexp, GoRegexpError, RegexpTimeout, compile_go
from iac.lang.functions._textseg import grapheme_clusters
from iac.lang.numbers import quantize_integer

__all__ = ["GO_SPACE", "nfc_string"]

GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
           "\u2028\u2029\u202f\u205f\u3000"
"""Go's unicode.IsSpace (White_Space). Python's str.strip() also strips \\x1c-\\x1f, which Go keeps."""

_INT64 = 2**63


def nfc_string(text: str) -> Value:
    """A cty string as cty.StringVal makes it: NFC-normalized."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return cty.string(text)


def _arg_error(index: int, name: str, text: str) -> FunctionError:
    return FunctionError(f'Invalid value for "{name}" parameter: {text}.', argument=index)


def _go_int(value: Value) -> int:
    """gocty's conversion of a number to a Go int (int64)."""
    n = value.v
    whole = quantize_integer(n)
    if whole is None or not -_INT64 <= whole < _INT64:
        raise FunctionError(f"value must be a whole number, between {-_INT64} and {_INT64 - 1}")
    return whole


# -- case -----------------------------------------------------------------------------------------

# Go maps case with Unicode's *simple* mappings, one rune to one rune. Python's str.upper() uses the full
# mappings; where those expand (`ß`.upper() == "SS") Go keeps the rune, except for these runes, whose
# simple mapping differs from keeping them (checked against Terraform for every code point below
# U+20000: these are the only differences).
_SIMPLE_UPPER = {**{chr(c): chr(c + 8) for lo in (0x1F80, 0x1F90, 0x1FA0) for c in range(lo, lo + 8)},
                 "\u1fb3": "\u1fbc", "\u1fc3": "\u1fcc", "\u1ff3": "\u1ffc"}
_SIMPLE_LOWER = {"\u0130": "i"}


def _per_rune(text: str, case: Callable[[str], str], simple: dict[str, str]) -> str:
    out = []
    for char in text:
        mapped = simple.get(char) or case(char)
        out.append(mapped if len(mapped) == 1 else char)
    return "".join(out)


@builtin("upper", [Param("str", cty.STRING)], returns=cty.STRING)
def upper(text: Value) -> Value:
    if text.v.isascii():
        return cty.string(text.v.upper())
    return nfc_string(_per_rune(text.v, str.upper, _SIMPLE_UPPER))


@builtin("lower", [Param("str", cty.STRING)], returns=cty.STRING)
def lower(text: Value) -> Value:
    if text.v.isascii():
        return cty.string(text.v.lower())
    return nfc_string(_per_rune(text.v, str.lower, _SIMPLE_LOWER))


def _is_separator(char: str) -> bool:
    """Go's strings.isSeparator (what starts a word for strings.Title)."""
    if char < "\x80":
        return not (char.isalnum() or char == "_")
    if char.isalpha() or unicodedata.category(char) == "Nd":
        return False
    return char in GO_SPACE


@builtin("title", [Param("str", cty.STRING)], returns=cty.STRING)
def title(text: Value) -> Value:
    """Go's strings.Title: the first rune of each word in title case (unicode.ToTitle)."""
    out = []
    prev = " "
    for char in text.v:
        if _is_separator(prev):
            mapped = char.title()
            out.append(mapped if len(mapped) == 1 else char)
        else:
            out.append(char)
        prev = char
    return nfc_string("".join(out))


# -- trimming, searching --------------------------------------------------------------------------


@builtin("chomp", [Param("str", cty.STRING)], returns=cty.STRING)
def chomp(text: Value) -> Value:
    """Removes every trailing newline sequence (cty: `(?:\\r\\n?|\\n)*\\z` replaced by nothing)."""
    return cty.string(text.v.rstrip("\r\n"))


@builtin("trimspace", [Param("str", cty.STRING)], returns=cty.STRING)
def trimspace(text: Value) -> Value:
    return cty.string(text.v.strip(GO_SPACE))


@builtin("trim", [Param("str", cty.STRING), Param("cutset", cty.STRING)], returns=cty.STRING)
def trim(text: Value, cutset: Value) -> Value:
    """Go's strings.Trim: removes leading and trailing runes found in `cutset`."""
    return nfc_string(text.v.strip(cutset.v))


@builtin("trimprefix", [Param("str", cty.STRING), Param("prefix", cty.STRING)], returns=cty.STRING)
def trimprefix(text: Value, prefix: Value) -> Value:
    return nfc_string(text.v.removeprefix(prefix.v))


@builtin("trimsuffix", [Param("str", cty.STRING), Param("suffix", cty.STRING)], returns=cty.STRING)
def trimsuffix(text: Value, suffix: Value) -> Value:
    return nfc_string(text.v.removesuffix(suffix.v))


@builtin("startswith", [Param("str", cty.STRING, allow_unknown=True), Param("prefix", cty.STRING)],
         returns=cty.BOOL)
def startswith(text: Value, prefix: Value) -> Value:
    """Known for an unknown string when the prefix is empty (every string starts with "") or the string's
    refined known beginning decides it (`iac.lang.prefix`): it starts with the prefix, or is at least as long
    and does not."""
    if not text.is_known:
        if prefix.v == "" or (text.prefix and text.prefix.startswith(prefix.v)):
            return cty.TRUE
        if text.prefix and len(text.prefix.encode("utf-8")) >= len(prefix.v.encode("utf-8")):
            return cty.FALSE
        return cty.unknown(cty.BOOL)
    return cty.bool_value(text.v.startswith(prefix.v))


@builtin("endswith", [Param("str", cty.STRING), Param("suffix", cty.STRING)], returns=cty.BOOL)
def endswith(text: Value, suffix: Value) -> Value:
    return cty.bool_value(text.v.endswith(suffix.v))


@builtin("strcontains", [Param("str", cty.STRING), Param("substr", cty.STRING)], returns=cty.BOOL)
def strcontains(text: Value, substr: Value) -> Value:
    return cty.bool_value(substr.v in text.v)


# -- splitting, joining, slicing ------------------------------------------------------------------


@builtin("split", [Param("separator", cty.STRING), Param("str", cty.STRING)], returns=cty.list_of(cty.STRING))
def split(separator: Value, text: Value) -> Value:
    """Go's strings.Split: an empty separator splits into runes (and "" into no element at all)."""
    parts = list(text.v) if separator.v == "" else text.v.split(separator.v)
    return cty.list_value([nfc_string(part) for part in parts], cty.STRING)


@builtin("join", [Param("separator", cty.STRING)], variadic=Param("lists", cty.list_of(cty.STRING)),
         returns=cty.STRING)
def join(separator: Value, *lists: Value) -> Value:
    if not lists:
        raise FunctionError("at least one list is required")
    items: list[str] = []
    for number, list_value in enumerate(lists, start=1):
        for index, element in enumerate(list_value.v):
            if element.v is None:
                where = f"element {index} of list {number}" if len(lists) > 1 else f"element {index}"
                raise _arg_error(number, "lists", f"{where} is null; cannot concatenate null values")
            if element.v is cty.UNKNOWN:  # call() passes known lists holding unknown elements through
                return cty.unknown(cty.STRING)
            items.append(element.v)
    return nfc_string(separator.v.join(items))


@builtin("substr", [Param("str", cty.STRING), Param("offset", cty.NUMBER), Param("length", cty.NUMBER)],
         returns=cty.STRING)
def substr(text: Value, offset_value: Value, length_value: Value) -> Value:
    """cty's Substr over grapheme clusters, quirks included: a negative offset counts from the end (and
    clamps at the start), a negative length takes the rest, and a length of 0 after a negative offset
    also takes the rest (`substr("hello", -1, 0)` is "o")."""
    offset = _go_int(offset_value)
    length = _go_int(length_value)
    clusters = grapheme_clusters(text.v)
    if offset < 0:
        offset += len(clusters)
    elif length == 0:
        return cty.string("")
    rest = clusters[offset:] if offset > 0 else clusters
    if length > 0:
        rest = rest[:length]
    return nfc_string("".join(rest))


@builtin("strrev", [Param("str", cty.STRING)], returns=cty.STRING)
def strrev(text: Value) -> Value:
    """The grapheme clusters in reverse order (a flag or an accented letter stays whole)."""
    if text.v.isascii() and "\r\n" not in text.v:
        return cty.string(text.v[::-1])
    return nfc_string("".join(reversed(grapheme_clusters(text.v))))


_MAX_INDENT = 10**7
"""Terraform would try to allocate whatever `indent` asks for; iac refuses past this many spaces."""


@builtin("indent", [Param("spaces", cty.NUMBER), Param("str", cty.STRING)], returns=cty.STRING)
def indent(spaces_value: Value, text: Value) -> Value:
    """Adds `spaces` spaces after every newline (not before the first line)."""
    spaces = _go_int(spaces_value)
    if spaces < 0:  # Go's strings.Repeat panics, and cty reports the panic
        raise FunctionError("panic in function implementation: strings: negative Repeat count")
    if spaces * text.v.count("\n") > _MAX_INDENT:
        raise FunctionError(f"indent: refusing to add more than {_MAX_INDENT} spaces")
    return cty.string(text.v.replace("\n", "\n" + " " * spaces))


# -- replace and regular expressions --------------------------------------------------------------


def _compile(pattern: str, index: int) -> GoRegexp:
    """The pattern, or Terraform's argument error for the regex functions' `pattern` parameter."""
    try:
        return compile_go(pattern)
    except GoRegexpError as error:
        raise _arg_error(index, "pattern", f"invalid regexp pattern: {error.code} in {error.expr}") from error


def _result_type(compiled: GoRegexp, index: int) -> Type:
    """cty's regexPatternResultType: string (no groups), tuple (unnamed) or object (named)."""
    names = compiled.names
    if not names:
        return cty.STRING
    named = [name for name in names if name]
    if named and len(named) < len(names):
        raise _arg_error(index, "pattern", "invalid regexp pattern: cannot mix both named and unnamed capture "
                                           "groups")
    if named:
        return cty.object_of(dict.fromkeys(named, cty.STRING))
    return cty.tuple_of([cty.STRING] * len(names))


def _pattern_type(args: Sequence[Value]) -> Type:
    pattern = args[0]
    if not pattern.is_known or pattern.v is None:
        return cty.DYNAMIC
    return _result_type(_compile(pattern.v, 0), 0)


def _captures(compiled: GoRegexp, text: str, spans: list[tuple[int, int]], result_type: Type) -> Value:
    def piece(span: tuple[int, int]) -> Value:
        return cty.null(cty.STRING) if span[0] < 0 else nfc_string(text[span[0]:span[1]])

    if result_type == cty.STRING:
        return piece(spans[0])
    if result_type.kind == "tuple":
        return cty.tuple_value([piece(span) for span in spans[1:]])
    attrs: dict[str, Value] = {}
    for name, span in zip(compiled.names, spans[1:], strict=True):  # a repeated name: the last group wins
        attrs[name] = piece(span)
    return cty.object_value(attrs)


def _search(run: Callable[[], object]) -> object:
    try:
        return run()
    except RegexpTimeout as error:
        raise FunctionError(str(error)) from error


@builtin("regex", [Param("pattern", cty.STRING), Param("string", cty.STRING, allow_unknown=True)],
         returns=_pattern_type)
def regex_(pattern: Value, text: Value) -> Value:
    """The first match: the matched text, a tuple of the groups, or an object of the named groups
    (null for a group that did not take part). No match is an error."""
    compiled = _compile(pattern.v, 0)
    result_type = _result_type(compiled, 0)
    if not text.is_known:  # the pattern is still checked, as cty's type function does
        return cty.unknown(result_type)
    spans = _search(lambda: compiled.match_at(text.v, 0))
    if spans is None:
        raise FunctionError("pattern did not match any part of the given string")
    return _captures(compiled, text.v, spans, result_type)  # type: ignore[arg-type]


def _regexall_type(args: Sequence[Value]) -> Type:
    return cty.list_of(_pattern_type(args))


@builtin("regexall", [Param("pattern", cty.STRING), Param("string", cty.STRING, allow_unknown=True)],
         returns=_regexall_type)
def regexall(pattern: Value, text: Value) -> Value:
    """Every non-overlapping match, as `regex` describes one; an empty list when there is none."""
    compiled = _compile(pattern.v, 0)
    element_type = _result_type(compiled, 0)
    if not text.is_known:
        return cty.unknown(cty.list_of(element_type))
    found = _search(lambda: compiled.find_all(text.v))
    return cty.list_value([_captures(compiled, text.v, spans, element_type) for spans in found],  # type: ignore[attr-defined]
                          element_type)


@builtin("replace", [Param("str", cty.STRING), Param("substr", cty.STRING), Param("replace", cty.STRING)],
         returns=cty.STRING)
def replace(text: Value, substr_value: Value, replacement: Value) -> Value:
    """Replaces every occurrence of `substr`; a `substr` wrapped in slashes is a Go regexp, and the
    replacement may then use `$1`, `${name}` and `$$`."""
    needle = substr_value.v
    if len(needle) > 1 and needle[0] == "/" and needle[-1] == "/":
        try:
            compiled = compile_go(needle[1:-1])
        except GoRegexpError as error:
            raise FunctionError(str(error)) from error
        return nfc_string(str(_search(lambda: compiled.replace_all(text.v, replacement.v))))
    return nfc_string(text.v.replace(needle, replacement.v))


# -- format ---------------------------------------------------------------------------------------


@builtin("format", [Param("format", cty.STRING)],
         variadic=Param("args", cty.DYNAMIC, allow_null=True, allow_unknown=True), returns=cty.STRING)
def format_(spec: Value, *args: Value) -> Value:
    """printf-style formatting with cty's verbs (see `_gofmt`). Any argument not wholly known makes the
    result unknown, before the format string is even read."""
    if not all(arg.is_wholly_known() for arg in args):
        return cty.unknown(cty.STRING)
    try:
        return nfc_string(format_values(spec.v, list(args)))
    except FormatError as error:
        if error.too_many is not None:
            raise _arg_error(error.too_many + 1, "args", error.message) from error
        raise FunctionError(error.message) from error


@builtin("formatlist", [Param("format", cty.STRING)],
         variadic=Param("args", cty.DYNAMIC, allow_null=True, allow_unknown=True),
         returns=cty.list_of(cty.STRING))
def formatlist(spec: Value, *args: Value) -> Value:
    """`format` once per element of the list, set and tuple arguments (all of one length); other
    arguments are repeated. An element whose arguments are not known is an unknown string."""
    if not args:
        return cty.list_value([format_(spec)])
    length = -1
    chooser = -1
    unknown = False
    for index, arg in enumerate(args):
        if arg.type.kind not in ("list", "set", "tuple") or arg.v is None:
            continue
        if arg.type.kind != "tuple" and not arg.is_known:
            unknown = True
            continue
        this = len(arg.type.elems) if arg.v is cty.UNKNOWN else len(arg.v)
        if length == -1:
            length, chooser = this, index
        elif this != length:
            raise _arg_error(index + 1, "args", f"argument {index + 1} has length {this}, which is inconsistent "
                                                f"with argument {chooser + 1} of length {length}")
        if not arg.is_known:
            unknown = True
    if unknown:
        return cty.unknown(cty.list_of(cty.STRING))
    if length == 0:
        return cty.list_value([], cty.STRING)
    results: list[Value] = []
    for iteration in range(max(length, 1)):
        row = [arg.v[iteration] if _iterated(arg) else arg for arg in args]
        if not all(value.is_wholly_known() for value in row):
            results.append(cty.unknown(cty.STRING))
            continue
        try:
            results.append(nfc_string(format_values(spec.v, row)))
        except FormatError as error:
            raise FunctionError(f"error on format iteration {iteration}: {error.message}") from error
    return cty.list_value(results, cty.STRING)


def _iterated(arg: Value) -> bool:
    return arg.type.kind in ("list", "set", "tuple") and arg.v is not None


# -- templatestring -------------------------------------------------------------------------------

TEMPLATESTRING_FILE = "<templatestring argument>"
"""The file name templatestring passes to `FunctionContext.render_template`. The evaluator must treat it
as Terraform does: filesystem functions (`file`, `templatefile`, ...) and template functions are not
callable inside such a template."""


def _valid_identifier(name: str) -> bool:
    """hclsyntax.ValidIdentifier: (ID_Start | "_") (ID_Continue | "-")*."""
    return bool(name) and name[0] != "-" and name.replace("-", "_").isidentifier()


@builtin("templatestring",
         [Param("template", cty.DYNAMIC, allow_null=True, allow_unknown=True, allow_marked=True),
          Param("vars", cty.DYNAMIC)],
         returns=cty.STRING, needs_context=True)
def templatestring(context: FunctionContext, template: Value, variables: Value) -> Value:
    """Renders a template held in a string (the function side).

    Terraform requires the first argument to be a direct reference to a string (`local.tmpl`,
    `var.x["k"]`), never a literal or a template: that is a check on the *expression*, which only the
    evaluator sees — it must reject other forms with Terraform's messages before calling this. Here: the
    template value must be exactly a string (not a number), the variables a map or object whose keys are
    identifiers; rendering goes through `context.render_template`."""
    template, marks = template.unmark()
    if not template.is_known:
        return cty.unknown(cty.STRING).mark(marks)
    if template.type != cty.STRING or template.v is None:
        raise _arg_error(0, "template", "invalid template value: a string is required")
    if not variables.type.is_mapping:
        raise _arg_error(1, "vars", "invalid vars value: must be a map")
    for name in variables.v:
        if not _valid_identifier(name):
            raise _arg_error(1, "vars", f"invalid template variable name {go_quote(name)}: must start with a letter, "
                                        "followed by zero or more letters, digits, and underscores")
    if context.render_template is None:
        raise FunctionError("templatestring needs the evaluator: this context cannot render templates")
    rendered = context.render_template(template.v, variables, TEMPLATESTRING_FILE)
    try:
        result = cty.convert(rendered, cty.STRING)
    except ConversionError as error:
        raise FunctionError(f"invalid template result: {error}") from error
    return result.mark(marks)
