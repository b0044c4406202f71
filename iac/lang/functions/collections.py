"""Collection functions: alltrue, anytrue, chunklist, coalesce, coalescelist, compact, concat, contains,
distinct, element, flatten, index, keys, length, lookup, matchkeys, merge, one, range, reverse,
setintersection, setproduct, setsubtract, setunion, slice, sort, sum, transpose, values, zipmap.

Each mirrors its Go source (go-cty `function/stdlib`, or Terraform's `internal/lang/funcs` where Terraform
has its own): the same parameters (null, unknown, marked and dynamic arguments allowed or not), the same
return-type function (whose errors are the call's errors even for unknown arguments) and the same
messages. `list()` and `map()` are not defined: Terraform removed them.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from iac.lang import cty
from iac.lang.cty import Type, Value
from iac.lang.functions import FunctionError, Param, builtin
from iac.lang.numbers import NumberError, add, compare, is_infinite, to_fraction

_INT64 = 2**63


def _error(message: str) -> FunctionError:
    """An error of the call ("Call to function ... failed: MESSAGE.")."""
    return FunctionError(f"{message}.")


def _arg_error(index: int, name: str, message: str) -> FunctionError:
    """cty's ArgError: an error about one argument ("Invalid value for NAME parameter: MESSAGE.")."""
    return FunctionError(f'Invalid value for "{name}" parameter: {message}.', argument=index)


def _go_int(value: Value) -> int | None:
    """gocty's conversion of a number to a Go int: None unless whole and within int64."""
    n = value.v
    if is_infinite(n):
        return None
    fraction = to_fraction(n)
    if fraction.denominator != 1 or not -_INT64 <= fraction.numerator < _INT64:
        return None
    return int(fraction.numerator)


_WHOLE = f"value must be a whole number, between {-_INT64} and {_INT64 - 1}"


def _length(value: Value) -> Value:
    """cty's Value.Length: a tuple's length is in its type; a set holding unknowns has an unknown length
    (unless it holds one element, which cannot stand for more); the value's own marks are kept."""
    inner, marks = value.unmark()
    if inner.type.kind == "tuple":
        return cty.number(len(inner.type.elems)).mark(marks)
    if not inner.is_known:
        return cty.unknown(cty.NUMBER).mark(marks)
    if inner.type.kind == "set" and len(inner.v) != 1 and not inner.is_wholly_known():
        return cty.unknown(cty.NUMBER).mark(marks)
    return cty.number(len(inner.v)).mark(marks)


def _list(elems: Sequence[Value], elem_type: Type) -> Value:
    return Value(cty.list_of(elem_type), tuple(elems))


# -- length, element, index, lookup, keys, values ---------------------------------------------------


def _length_type(args: Sequence[Value]) -> Type:
    kind = args[0].type.kind
    if kind in ("string", "tuple", "object", "list", "map", "set", "dynamic"):
        return cty.NUMBER
    raise _error("argument must be a string, a collection type, or a structural type")


@builtin("length", [Param("value", allow_dynamic=True, allow_unknown=True, allow_marked=True)], returns=_length_type)
def length(value: Value) -> Value:
    """Terraform's length: also strings, counted in grapheme clusters (user-perceived characters); a tuple
    or object has its length in its type, even when unknown."""
    marks = value.marks
    kind = value.type.kind
    if kind == "dynamic":
        return cty.unknown(cty.NUMBER).mark(marks)
    if kind == "tuple":
        return cty.number(len(value.type.elems)).mark(marks)
    if kind == "object":
        return cty.number(len(value.type.attrs)).mark(marks)
    if kind == "string":
        if not value.is_known:
            return cty.unknown(cty.NUMBER).mark(marks)
        return cty.number(grapheme_count(value.v)).mark(marks)
    return _length(value)


def grapheme_count(text: str) -> int:
    """The number of extended grapheme clusters (Unicode text segmentation), as go-textseg counts them."""
    import regex

    return len(regex.findall(r"\X", text))


def _element_type(args: Sequence[Value]) -> Type:
    collection, index = args
    kind = collection.type.kind
    if kind == "list":
        assert collection.type.elem is not None
        return collection.type.elem
    if kind == "tuple":
        if not index.is_known:
            return cty.DYNAMIC
        position = _go_int(index)
        if position is None:
            raise _error(f"invalid index: {_WHOLE}")
        elems = collection.type.elems
        if not elems:
            raise _error("cannot use element function with an empty list")
        return elems[position % len(elems)]
    raise _error(f"cannot read elements from {collection.type.friendly()}")


@builtin("element", [Param("list", allow_marked=True), Param("index", cty.NUMBER)], returns=_element_type)
def element(collection: Value, index: Value) -> Value:
    """The element at `index` modulo the length (Go's modulo: a negative index counts from the end)."""
    position = _go_int(index)
    if position is None:
        raise _error(f"invalid index: {_WHOLE}")
    inner, marks = collection.unmark()
    if not inner.v:
        raise _error("cannot use element function with an empty list")
    return inner.v[position % len(inner.v)].mark(marks)


@builtin("index", [Param("list"), Param("value")], returns=cty.NUMBER)
def index(collection: Value, value: Value) -> Value:
    """Terraform's index: the first position whose element equals `value`."""
    if collection.type.kind not in ("list", "tuple"):
        raise _error("argument must be a list or tuple")
    if not collection.v:
        raise _error("cannot search an empty list")
    for position, elem in enumerate(collection.v):
        found = cty.equals(elem, value)
        if not found.is_known:
            return cty.unknown(cty.NUMBER)
        if found.v:
            return cty.number(position)
    raise _error("item not found")


def _lookup_type(args: Sequence[Value]) -> Type:
    if not 1 <= len(args) <= 3:
        raise _error(f"lookup() takes two or three arguments, got {len(args)}")
    collection = args[0]
    kind = collection.type.kind
    if kind == "object":
        if not args[1].is_known:
            return cty.DYNAMIC
        key = args[1].v
        if key in collection.type.attrs:
            return collection.type.attrs[key]
        if len(args) == 3:
            return args[2].type
        raise _arg_error(0, "inputMap", f"the given object has no attribute {_go_quote(key)}")
    if kind == "map":
        assert collection.type.elem is not None
        if len(args) == 3:
            try:
                cty.convert(args[2], collection.type.elem)
            except cty.ConversionError as error:
                raise _arg_error(2, "default", "the default value must have the same type as the map elements") \
                    from error
        return collection.type.elem
    raise _arg_error(0, "inputMap", "lookup() requires a map as the first argument")


@builtin("lookup", [Param("inputMap", allow_marked=True), Param("key", cty.STRING, allow_marked=True)],
         variadic=Param("default", allow_unknown=True, allow_dynamic=True, allow_null=True, allow_marked=True),
         returns=_lookup_type)
def lookup(collection: Value, key: Value, *default: Value) -> Value:
    """Terraform's lookup: the element or attribute `key`, else the default converted to the result type.
    Marks of the map and the key go on the result; the default keeps its own."""
    return_type = _lookup_type([collection, key, *default])
    inner, map_marks = collection.unmark()
    key_value, key_marks = key.unmark()
    marks = map_marks | key_marks
    if not inner.is_known:
        return cty.unknown(return_type).mark(marks)
    if key_value.v in inner.v:
        return inner.v[key_value.v].mark(marks)
    if default:
        try:
            return cty.convert(default[0], return_type).mark(marks)
        except cty.ConversionError as error:
            raise _error(str(error)) from error
    shown = "(sensitive value)" if cty.SENSITIVE in key_marks else _go_quote(key_value.v)
    raise _error(f"lookup failed to find key {shown}")


def _go_quote(text: str) -> str:
    from iac._go import go_quote

    return go_quote(text)


def _keys_type(args: Sequence[Value]) -> Type:
    t = args[0].type
    if t.kind == "map":
        return cty.list_of(cty.STRING)
    if t.kind == "object":
        return cty.tuple_of([cty.STRING] * len(t.attrs))
    raise _arg_error(0, "inputMap", "must have map or object type")


@builtin("keys", [Param("inputMap", allow_unknown=True, allow_marked=True)], returns=_keys_type)
def keys(collection: Value) -> Value:
    """The keys in lexicographic order; an object's attribute names come from its type (known even when
    the object is not)."""
    inner, marks = collection.unmark()
    if inner.type.kind == "object":
        return cty.tuple_value([cty.string(name) for name in inner.type.attrs]).mark(marks)
    if not inner.is_known:
        return cty.unknown(cty.list_of(cty.STRING)).mark(marks)
    return _list([cty.string(k) for k in inner.v], cty.STRING).mark(marks)


def _values_type(args: Sequence[Value]) -> Type:
    t = args[0].type
    if t.kind == "map":
        assert t.elem is not None
        return cty.list_of(t.elem)
    if t.kind == "object":
        return cty.tuple_of(list(t.attrs.values()))
    raise _error("values() requires a map as the first argument")


@builtin("values", [Param("mapping", allow_marked=True)], returns=_values_type)
def values(collection: Value) -> Value:
    inner, marks = collection.unmark()
    return_type = _values_type([inner])
    return Value(return_type, tuple(inner.v.values())).mark(marks)


# -- alltrue, anytrue, compact, contains, distinct, sort, sum ---------------------------------------


@builtin("alltrue", [Param("list", cty.list_of(cty.BOOL))], returns=cty.BOOL)
def alltrue(collection: Value) -> Value:
    """True unless an element is false or null; unknown at the first unknown element before any false."""
    for elem in collection.v:
        if not elem.is_known:
            return cty.unknown(cty.BOOL)
        if elem.v is None or elem.v is False:
            return cty.FALSE
    return cty.TRUE


@builtin("anytrue", [Param("list", cty.list_of(cty.BOOL))], returns=cty.BOOL)
def anytrue(collection: Value) -> Value:
    """True if any element is true; else unknown if any element is unknown; nulls count as false."""
    has_unknown = False
    for elem in collection.v:
        if not elem.is_known:
            has_unknown = True
        elif elem.v is True:
            return cty.TRUE
    return cty.unknown(cty.BOOL) if has_unknown else cty.FALSE


@builtin("compact", [Param("list", cty.list_of(cty.STRING))], returns=cty.list_of(cty.STRING))
def compact(collection: Value) -> Value:
    """The list without its null and empty strings (unknown while any element is unknown)."""
    if not collection.is_wholly_known():
        return cty.unknown(cty.list_of(cty.STRING))
    return _list([e for e in collection.v if e.v], cty.STRING)


@builtin("contains", [Param("list"), Param("value")], returns=cty.BOOL)
def contains(collection: Value, value: Value) -> Value:
    """Whether an element equals `value` (cty equality: different types are unequal); unknown when only
    unknown elements could match."""
    if collection.type.kind not in ("list", "tuple", "set"):
        raise _error("argument must be list, tuple, or set")
    if not collection.v:
        return cty.FALSE
    if not value.is_known:
        return cty.unknown(cty.BOOL)
    has_unknown = False
    for elem in collection.v:
        found = cty.equals(value, elem)
        if not found.is_known:
            has_unknown = True
        elif found.v:
            return cty.TRUE
    return cty.unknown(cty.BOOL) if has_unknown else cty.FALSE


@builtin("distinct", [Param("list", cty.list_of(cty.DYNAMIC))], returns=lambda args: args[0].type)
def distinct(collection: Value) -> Value:
    """The list without repeated elements, first occurrences kept in order."""
    if not collection.is_wholly_known():
        return cty.unknown(collection.type)
    kept: list[Value] = []
    for elem in collection.v:
        if not any(cty.equals(seen, elem).v is True for seen in kept):
            kept.append(elem)
    return Value(collection.type, tuple(kept))


@builtin("sort", [Param("list", cty.list_of(cty.STRING), allow_unknown=True)], returns=cty.list_of(cty.STRING))
def sort(collection: Value) -> Value:
    """Strings in lexicographic order of their UTF-8 bytes (Go's sort.Strings), not numerically."""
    if not collection.is_wholly_known():
        # cty refines the unknown result to the list's length, and a list of known length is a known list
        # of unknown strings
        return _list([cty.unknown(cty.STRING)] * len(collection.v), cty.STRING) if collection.is_known else \
            cty.unknown(cty.list_of(cty.STRING))
    for position, elem in enumerate(collection.v):
        if elem.v is None:
            raise _error(f"given list element {position} is null; a null string cannot be sorted")
    ordered = sorted(collection.v, key=lambda e: e.v.encode("utf-8", "surrogatepass"))
    return _list(ordered, cty.STRING)


@builtin("sum", [Param("list")], returns=cty.NUMBER)
def sum_(collection: Value) -> Value:
    """Terraform's sum: the elements converted to numbers (strings such as "1" count), added with
    512-bit precision."""
    kind = collection.type.kind
    if kind not in ("list", "set", "tuple", "map", "object"):
        raise _arg_error(0, "list", "cannot sum noniterable")
    if not collection.v:
        raise _arg_error(0, "list", "cannot sum an empty list")
    if kind not in ("list", "set", "tuple"):
        raise _arg_error(0, "list", f"argument must be list, set, or tuple. Received {collection.type.friendly()}")
    if not collection.is_wholly_known():
        return cty.unknown(cty.NUMBER)
    total = None
    for elem in collection.v:
        if elem.v is None:
            raise _arg_error(0, "list", "argument must be list, set, or tuple of number values")
        try:
            n = cty.convert(elem, cty.NUMBER).v
        except cty.ConversionError as error:
            raise _arg_error(0, "list", "argument must be list, set, or tuple of number values") from error
        try:
            total = n if total is None else add(total, n)
        except NumberError as error:  # opposing infinities: cty's Add panics, sum reports it
            raise FunctionError(str(error)) from error
    assert total is not None
    return cty.number(total)


# -- chunklist, coalesce, coalescelist, concat, flatten, matchkeys, one, range, reverse, slice --------


@builtin("chunklist", [Param("list", cty.list_of(cty.DYNAMIC), allow_marked=True),
                       Param("size", cty.NUMBER, allow_marked=True)],
         returns=lambda args: cty.list_of(args[0].type))
def chunklist(collection: Value, size: Value) -> Value:
    """Lists of `size` elements (the last may be shorter); size 0 gives the whole list as one chunk."""
    inner, list_marks = collection.unmark()
    size_value, size_marks = size.unmark()
    marks = list_marks | size_marks
    count = _go_int(size_value)
    if count is None:
        raise _error(f"invalid size: {_WHOLE}")
    if count < 0:
        raise _error("the size argument must be positive")
    if not inner.v:
        return _list([], inner.type).mark(marks)
    if count == 0:
        return _list([inner], inner.type).mark(marks)
    elems = inner.v
    chunks = [Value(inner.type, elems[i:i + count]) for i in range(0, len(elems), count)]
    return _list(chunks, inner.type).mark(marks)


def _coalesce_type(args: Sequence[Value]) -> Type:
    unified = cty.unify([a.type for a in args]) if args else None
    if unified is None:
        raise _error("all arguments must have the same type")
    return unified


@builtin("coalesce", variadic=Param("vals", allow_unknown=True, allow_dynamic=True, allow_null=True),
         returns=_coalesce_type)
def coalesce(*args: Value) -> Value:
    """Terraform's coalesce: the first argument that is neither null nor (when the unified type is string)
    the empty string, converted to the type all arguments unify to; unknown at the first unknown one."""
    return_type = _coalesce_type(args)
    for arg in args:
        try:
            value = cty.convert(arg, return_type)
        except cty.ConversionError:
            value = cty.unknown(return_type)
        if not value.is_known:
            return cty.unknown(return_type)
        if value.v is None or (return_type == cty.STRING and value.v == ""):
            continue
        return value
    raise _error("no non-null, non-empty-string arguments")


def _coalescelist_type(args: Sequence[Value]) -> Type:
    if not args:
        raise _error("at least one argument is required")
    for arg in args:
        if not arg.is_known:
            return cty.DYNAMIC
        if arg.type.kind not in ("list", "tuple"):
            raise _error("coalescelist arguments must be lists or tuples")
    first = args[0].type
    return first if all(a.type == first for a in args) else cty.DYNAMIC


@builtin("coalescelist", variadic=Param("vals", allow_unknown=True, allow_dynamic=True, allow_null=True),
         returns=_coalescelist_type)
def coalescelist(*args: Value) -> Value:
    """The first non-null, non-empty list or tuple argument, as it is."""
    return_type = _coalescelist_type(args)
    for arg in args:
        if not arg.is_known:
            return cty.unknown(return_type)
        if arg.v is not None and arg.v:
            return arg
    raise _error("no non-null arguments")


def _concat_type(args: Sequence[Value]) -> Type:
    if not args:
        raise _error("at least one argument is required")
    if all(a.type.kind == "list" for a in args):
        common = cty.unify([a.type for a in args])
        if common is not None:
            return common
    elems: list[Type] = []
    for position, arg in enumerate(args):
        t = arg.type
        if t.kind == "tuple":
            elems.extend(t.elems)
        elif t.kind == "list":
            if not arg.is_known:
                return cty.DYNAMIC
            assert t.elem is not None
            elems.extend([t.elem] * len(arg.v))
        else:
            raise _arg_error(position, "seqs", f"all arguments must be lists or tuples; got {t.friendly()}")
    return cty.tuple_of(elems)


@builtin("concat", variadic=Param("seqs", allow_marked=True), returns=_concat_type)
def concat(*args: Value) -> Value:
    """All elements in order: a list when every argument is a list and their types unify, else a tuple.
    Marks of the arguments go on the result; marks of elements stay on them."""
    return_type = _concat_type(args)
    elems: list[Value] = []
    marks: set[str] = set()
    for position, arg in enumerate(args):
        if return_type.kind == "list":
            try:
                arg = cty.convert(arg, return_type)
            except cty.ConversionError as error:
                raise _arg_error(position, "seqs", str(error)) from error
        inner, found = arg.unmark()
        marks.update(found)
        elems.extend(inner.v)
    return Value(return_type, tuple(elems)).mark(marks)


def _flatten_type(args: Sequence[Value]) -> Type:
    value = args[0]
    if not value.is_wholly_known():
        return cty.DYNAMIC
    if value.type.kind not in ("list", "set", "tuple"):
        raise _error("can only flatten lists, sets and tuples")
    out, _marks, known = _flattener(value)
    return cty.tuple_of([e.type for e in out]) if known else cty.DYNAMIC


def _flattener(value: Value) -> tuple[list[Value], set[str], bool]:
    """cty's flattener: the leaves of nested sequences in order, the marks of the sequences, and whether
    the result's shape is known (an unknown nested sequence, or an unknown of type dynamic, is not)."""
    inner, marks = value.unmark()
    found = set(marks)
    if not _length(inner).is_known:
        return [], found, False
    out: list[Value] = []
    known = True
    for elem in inner.v:
        if elem.type.kind == "dynamic" and elem.v is cty.UNKNOWN and not elem.marks:
            known = False
        if elem.v is not None and elem.type.kind in ("list", "set", "tuple"):
            if not elem.is_known:
                known = False
                found.update(elem.marks)
                continue
            nested, nested_marks, nested_known = _flattener(elem)
            found.update(nested_marks)
            if nested_known:
                out.extend(nested)
            else:
                known = False
        else:
            out.append(elem)
    return out, found, known



@builtin("flatten", [Param("list", allow_marked=True)], returns=_flatten_type)
def flatten(collection: Value) -> Value:
    """A tuple of the leaves of nested lists, sets and tuples; marks of the sequences go on the result."""
    inner, marks = collection.unmark()
    if not inner.v:
        return cty.EMPTY_TUPLE.mark(marks)
    out, found, known = _flattener(collection)
    if not known:
        return cty.unknown(_flatten_type([collection])).mark(found)
    return cty.tuple_value(out).mark(found)


def _matchkeys_type(args: Sequence[Value]) -> Type:
    if cty.unify([args[1].type, args[2].type]) is None:
        raise _error("keys and searchset must be of the same type")
    return args[0].type


@builtin("matchkeys", [Param("values", cty.list_of(cty.DYNAMIC)), Param("keys", cty.list_of(cty.DYNAMIC)),
                       Param("searchset", cty.list_of(cty.DYNAMIC))], returns=_matchkeys_type)
def matchkeys(values_: Value, keys_: Value, searchset: Value) -> Value:
    """The elements of `values` whose corresponding key is in `searchset`."""
    return_type = values_.type
    assert return_type.elem is not None
    if len(values_.v) != len(keys_.v):
        raise _error("length of keys and values should be equal")
    common = cty.unify([keys_.type, searchset.type])
    assert common is not None
    keys_ = cty.convert(keys_, common)
    searchset = cty.convert(searchset, common)
    if not searchset.v:
        return _list([], return_type.elem)
    if not values_.is_wholly_known() or not keys_.is_wholly_known():
        return cty.unknown(return_type)
    out: list[Value] = []
    for position, key in enumerate(keys_.v):
        for search in searchset.v:
            found = cty.equals(key, search)
            if not found.is_known:
                return _list([], return_type.elem)
            if found.v:
                out.append(values_.v[position])
                break
    return _list(out, return_type.elem)


def _one_type(args: Sequence[Value]) -> Type:
    t = args[0].type
    if t.kind in ("list", "set"):
        assert t.elem is not None
        return t.elem
    if t.kind == "tuple" and len(t.elems) <= 1:
        return t.elems[0] if t.elems else cty.DYNAMIC
    raise _arg_error(0, "list", "must be a list, set, or tuple value with either zero or one elements")


@builtin("one", [Param("list")], returns=_one_type)
def one(collection: Value) -> Value:
    """The only element, or a null of the element type for an empty collection."""
    return_type = _one_type([collection])
    if collection.type.kind in ("list", "set"):
        size = _length(collection)
        if not size.is_known:
            return cty.unknown(return_type)
    if not collection.v:
        return cty.null(return_type)
    if len(collection.v) == 1:
        return collection.v[0]
    raise _arg_error(0, "list", "must be a list, set, or tuple value with either zero or one elements")


@builtin("range", variadic=Param("params", cty.NUMBER), returns=cty.list_of(cty.NUMBER))
def range_(*args: Value) -> Value:
    """cty's range: start (0), limit, step (1 or -1 by direction). A step of 0 is not refused as such (Go
    compares it by pointer), so it ends at the 1024-element limit unless start equals the limit."""
    numbers: list[int | Decimal] = [a.v for a in args]
    start: int | Decimal
    end: int | Decimal
    step: int | Decimal
    if len(numbers) == 1:
        start, end, step = 0, numbers[0], (-1 if compare(numbers[0], 0) < 0 else 1)
    elif len(numbers) == 2:
        start, end = numbers
        step = -1 if compare(end, start) < 0 else 1
    elif len(numbers) == 3:
        start, end, step = numbers
    else:
        raise _error("must have one, two, or three arguments")
    down = compare(step, 0) < 0
    if down and compare(end, start) > 0:
        raise _arg_error(1, "params", "end must be less than start when step is negative")
    if not down and compare(end, start) < 0:
        raise _arg_error(1, "params", "end must be greater than start when step is positive")
    out: list[Value] = []
    current = start
    while (compare(current, end) > 0) if down else (compare(current, end) < 0):
        if len(out) >= 1024:
            raise _error("more than 1024 values were generated; either decrease the difference between start "
                         "and end or use a smaller step")
        out.append(cty.number(current))
        current = add(current, step)
    return _list(out, cty.NUMBER)


def _reverse_type(args: Sequence[Value]) -> Type:
    t = args[0].type
    if t.kind == "tuple":
        return cty.tuple_of(list(reversed(t.elems)))
    if t.kind in ("list", "set"):
        assert t.elem is not None
        return cty.list_of(t.elem)
    raise _arg_error(0, "list", f"can only reverse list or tuple values, not {t.friendly()}")


@builtin("reverse", [Param("list", allow_marked=True)], returns=_reverse_type)
def reverse(collection: Value) -> Value:
    """The elements in reverse order (a set is taken in its set order and gives a list)."""
    inner, marks = collection.unmark()
    return Value(_reverse_type([inner]), tuple(reversed(inner.v))).mark(marks)


def _slice_indexes(args: Sequence[Value]) -> tuple[int, int, bool]:
    collection, start_value, end_value = args
    inner = collection.unmark()[0]
    size = _length(inner)
    length = size.v if size.is_known else None
    start = end = 0
    if start_value.is_known:
        found = _go_int(start_value)
        if found is None:
            raise _arg_error(1, "start_index", f"invalid start index: {_WHOLE}")
        start = found
        if start < 0:
            raise _arg_error(1, "start_index", "start index must not be less than zero")
        if length is not None and start > length:
            raise _arg_error(1, "start_index", "start index must not be greater than the length of the list")
    if end_value.is_known:
        found = _go_int(end_value)
        if found is None:
            raise _arg_error(2, "end_index", f"invalid end index: {_WHOLE}")
        end = found
        if end < 0:
            raise _arg_error(2, "end_index", "end index must not be less than zero")
        if length is not None and end > length:
            raise _arg_error(2, "end_index", "end index must not be greater than the length of the list")
    known = start_value.is_known and end_value.is_known
    if known and start > end:
        raise _arg_error(1, "start_index", "start index must not be greater than end index")
    return start, end, known


def _slice_type(args: Sequence[Value]) -> Type:
    t = args[0].type
    if t.kind == "set":
        raise _arg_error(0, "list", "cannot slice a set, because its elements do not have indices; explicitly "
                                    "convert to a list if the ordering of the result is not important")
    if t.kind not in ("list", "tuple"):
        raise _arg_error(0, "list", "must be a list or tuple value")
    start, end, known = _slice_indexes(args)
    if t.kind == "list":
        return t
    if not known:
        return cty.DYNAMIC
    return cty.tuple_of(t.elems[start:end])


@builtin("slice", [Param("list", allow_marked=True), Param("start_index", cty.NUMBER),
                   Param("end_index", cty.NUMBER)], returns=_slice_type)
def slice_(collection: Value, start_index: Value, end_index: Value) -> Value:
    return_type = _slice_type([collection, start_index, end_index])
    inner, marks = collection.unmark()
    start, end, _known = _slice_indexes([collection, start_index, end_index])
    return Value(return_type, tuple(inner.v[start:end])).mark(marks)


# -- merge, setproduct, transpose, zipmap -----------------------------------------------------------


def _merge_type(args: Sequence[Value]) -> Type:
    if not args:
        return cty.object_of({})
    attrs: dict[str, Type] = {}
    first: Type | None = None
    matching = True
    attrs_known = True
    for position, arg in enumerate(args):
        t = arg.type
        if t.kind == "dynamic":
            return cty.DYNAMIC
        if t.kind not in ("map", "object"):
            raise _error(f'arguments must be maps or objects, got "{t.friendly()}"')
        if t.kind == "object" and arg.v is not None:
            attrs.update(t.attrs)
        elif t.kind == "map" and arg.v is not None:
            if arg.is_known:
                assert t.elem is not None
                attrs.update(dict.fromkeys(arg.v, t.elem))
            else:
                attrs_known = False
        if position == 0:
            first = t
        elif t != first:
            matching = False
    if matching:
        assert first is not None
        return first
    if not attrs_known:
        return cty.DYNAMIC
    return cty.object_of(attrs)


@builtin("merge", variadic=Param("maps", allow_dynamic=True, allow_null=True, allow_marked=True),
         returns=_merge_type)
def merge(*args: Value) -> Value:
    """Later keys win. The result is a map when every argument has one map type, else an object; null
    arguments are skipped; marks of the arguments go on the result."""
    return_type = _merge_type(args)
    out: dict[str, Value] = {}
    marks: set[str] = set()
    for arg in args:
        if arg.v is None:
            continue
        inner, found = arg.unmark()
        marks.update(found)
        out.update(inner.v)
    if return_type.kind == "map":
        return Value(return_type, dict(sorted(out.items()))).mark(marks)
    return cty.object_value(out).mark(marks)


def _setproduct_type(args: Sequence[Value]) -> Type:
    if len(args) < 2:
        raise _error("at least two arguments are required")
    lists = 0
    elems: list[Type] = []
    for position, arg in enumerate(args):
        t = arg.type
        if t.kind in ("set", "list"):
            assert t.elem is not None
            elems.append(t.elem)
            lists += t.kind == "list"
        elif t.kind == "tuple":
            lists += 1
            if not t.elems:
                elems.append(cty.DYNAMIC)
                continue
            unified = cty.unify(list(t.elems))
            if unified is None:
                raise _arg_error(position, "sets", "all elements must be of the same type")
            elems.append(unified)
        else:
            raise _arg_error(position, "sets", "a set or a list is required")
    return (cty.list_of if lists == len(args) else cty.set_of)(cty.tuple_of(elems))


@builtin("setproduct", variadic=Param("sets", allow_marked=True, allow_unknown=True), returns=_setproduct_type)
def setproduct(*args: Value) -> Value:
    """Every combination, the last argument varying fastest: a list of tuples when all arguments are lists
    or tuples, else a set of tuples. An argument of unknown length makes the result unknown, even when
    another argument is empty."""
    return_type = _setproduct_type(args)
    assert return_type.elem is not None
    elem_types = return_type.elem.elems
    marks: set[str] = set()
    inners: list[Value] = []
    unknown_length = False
    for arg in args:
        inner, found = arg.unmark()
        marks.update(found)
        inners.append(inner)
        if not _length(inner).is_known:
            unknown_length = True
    if unknown_length:  # (cty's refinement of the length never makes this known in Terraform's use)
        return cty.unknown(return_type).mark(marks)
    combos: list[list[Value]] = [[]]
    for inner, elem_type in zip(inners, elem_types, strict=True):
        converted = [cty.convert(e, elem_type) for e in inner.v]
        combos = [combo + [e] for combo in combos for e in converted]
    tuples = [cty.tuple_value(combo) for combo in combos]
    if len({t.type for t in tuples}) > 1:  # an element type of dynamic let differently typed values in
        raise _error(f"panic in function implementation: inconsistent {return_type.kind} element types")
    tuples = [Value(return_type.elem, t.v) for t in tuples]
    if return_type.kind == "list":
        return Value(return_type, tuple(tuples)).mark(marks)
    return cty.set_value(tuples, return_type.elem).mark(marks)


@builtin("transpose", [Param("values", cty.map_of(cty.list_of(cty.STRING)))],
         returns=cty.map_of(cty.list_of(cty.STRING)))
def transpose(mapping: Value) -> Value:
    """Swaps keys and values of a map of lists of strings; each new list is sorted."""
    result_type = cty.map_of(cty.list_of(cty.STRING))
    if not mapping.is_wholly_known():
        return cty.unknown(result_type)
    swapped: dict[str, list[str]] = {}
    for key, strings in mapping.v.items():
        if strings.v is None:
            raise _error("input must not contain null list")
        for text in strings.v:
            if text.v is None:
                raise _error("input list must not contain null string")
            swapped.setdefault(text.v, []).append(key)
    out = {k: _list([cty.string(s) for s in sorted(v, key=lambda s: s.encode("utf-8", "surrogatepass"))],
                    cty.STRING) for k, v in swapped.items()}
    return Value(result_type, dict(sorted(out.items())))


def _zipmap_type(args: Sequence[Value]) -> Type:
    keys_, values_ = args
    t = values_.type
    if t.kind == "list":
        assert t.elem is not None
        return cty.map_of(t.elem)
    if t.kind == "tuple":
        if not keys_.is_wholly_known():
            return cty.DYNAMIC
        names = keys_.unmark()[0].v
        if len(names) != len(t.elems):
            raise _error(f"number of keys ({len(names)}) does not match number of values ({len(t.elems)})")
        attrs: dict[str, Type] = {}
        for position, name in enumerate(names):
            if name.v is None:
                raise _error(f"keys list has null value at index {position}")
            attrs[name.v] = t.elems[position]
        return cty.object_of(attrs)
    raise _error("values argument must be a list or tuple value")


@builtin("zipmap", [Param("keys", cty.list_of(cty.STRING), allow_marked=True), Param("values", allow_marked=True)],
         returns=_zipmap_type)
def zipmap(keys_: Value, values_: Value) -> Value:
    """A map (values a list) or object (values a tuple) from keys and values; a repeated key takes the
    later value. Marks of both lists and of the keys go on the result."""
    return_type = _zipmap_type([keys_, values_])
    names, key_marks = keys_.unmark()
    items, value_marks = values_.unmark()
    marks = set(key_marks | value_marks)
    if not names.is_wholly_known():
        return cty.unknown(return_type).mark(marks)
    if len(names.v) != len(items.v):
        raise _error(f"number of keys ({len(names.v)}) does not match number of values ({len(items.v)})")
    out: dict[str, Value] = {}
    for name, item in zip(names.v, items.v, strict=True):
        plain, found = name.unmark()
        marks.update(found)
        if plain.v is None:
            raise _error("panic in function implementation: value is null")
        out[plain.v] = item
    if return_type.kind == "map":
        return Value(return_type, dict(sorted(out.items()))).mark(marks)
    return cty.object_value(out).mark(marks)


# -- set operations ---------------------------------------------------------------------------------


def _set_operation_type(args: Sequence[Value]) -> Type:
    elems: list[Type] = []
    for arg in args:
        elem = arg.type.elem
        assert elem is not None
        if arg.is_known and not arg.v and elem.kind == "dynamic":
            continue
        elems.append(elem)
    if not elems:
        return cty.set_of(cty.DYNAMIC)
    unified = cty.unify(elems)
    if unified is None:
        raise _error("given sets must all have compatible element types")
    return cty.set_of(unified)


def _set_operation(name: str, args: Sequence[Value], allow_unknowns: bool) -> Value:
    return_type = _set_operation_type(args)
    sets: list[Value] = []
    param_names = ("a", "b") if name == "setsubtract" else ("first_set", "other_sets")
    for position, arg in enumerate(args):
        try:
            converted = cty.convert(arg, return_type)
        except cty.ConversionError as error:
            raise _arg_error(position, param_names[min(position, 1)], str(error)) from error
        if not allow_unknowns and not converted.is_wholly_known():
            return cty.unknown(return_type)
        sets.append(converted)
    result = list(sets[0].v)
    for other in sets[1:]:
        if name == "setunion":
            result.extend(other.v)
        elif name == "setintersection":
            result = [e for e in result if _in_set(e, other)]
        else:
            result = [e for e in result if not _in_set(e, other)]
    assert return_type.elem is not None
    return cty.set_value(result, return_type.elem)


def _in_set(elem: Value, s: Value) -> bool:
    return any(cty.equals(elem, e).v is True for e in s.v)


_SET = cty.set_of(cty.DYNAMIC)


@builtin("setunion", [Param("first_set", _SET, allow_dynamic=True)],
         variadic=Param("other_sets", _SET, allow_dynamic=True), returns=_set_operation_type)
def setunion(*args: Value) -> Value:
    """The union, after converting every set to the unified element type (which can merge elements)."""
    return _set_operation("setunion", args, allow_unknowns=True)


@builtin("setintersection", [Param("first_set", _SET, allow_dynamic=True)],
         variadic=Param("other_sets", _SET, allow_dynamic=True), returns=_set_operation_type)
def setintersection(*args: Value) -> Value:
    return _set_operation("setintersection", args, allow_unknowns=False)


@builtin("setsubtract", [Param("a", _SET, allow_dynamic=True), Param("b", _SET, allow_dynamic=True)],
         returns=_set_operation_type)
def setsubtract(a: Value, b: Value) -> Value:
    return _set_operation("setsubtract", [a, b], allow_unknowns=False)


