"""Go's regexp engine itself, for the patterns a backtracking engine gets wrong: a program compiled as
Go's `syntax.Compile` does, run by Go's bit-state backtracker (`regexp/backtrack.go`).

Why: Go's engines never visit the same instruction at the same position twice in one search. That is
invisible, except where a loop can come back to where it started without consuming anything — a `*`,
`+` or `{n,}` over a body that can match empty. There Go cuts the path, while Perl-style engines (the
`regex` module) take one more empty iteration and report different groups: `regex("(a*?)*$", "aaa")` is
`["aaa"]` in Terraform, `["a"]` in Python. Such patterns run here; all others run on the `regex` module,
which is faster and gives the same answers for them (without a zero-width cycle, pruning a revisited
state never changes the first match found).

Characters are tested with small `regex` patterns built from the same tree (so classes and case folding
mean the same on both engines); assertions are computed here (ASCII `\\b`, `$` at the end of text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import regex

__all__ = ["Program", "compile_program"]

_RUNE, _ALT, _CAP, _EMPTY, _NOP, _MATCH = range(6)


@dataclass
class _Inst:
    op: int
    out: int = -1
    arg: int = -1  # ALT: the second choice; CAP: the register; EMPTY: the assertion
    test: Callable[[str], bool] | None = None
    kind: str = ""


@dataclass
class _Frag:
    start: int
    holes: list[tuple[int, str]]  # (instruction, "out" or "arg") still to be pointed at what follows
    nullable: bool


class Program:
    """A compiled Go program and the backtracker that runs it."""

    def __init__(self, insts: list[_Inst], start: int, ncap: int) -> None:
        self.insts = insts
        self.start = start
        self.ncap = ncap

    def search(self, text: str, pos: int) -> list[tuple[int, int]] | None:
        """Go's backtrack: try each start position from `pos`, sharing the visited set."""
        visited: set[int] = set()
        width = len(text) + 1
        for start in range(pos, len(text) + 1):
            caps = self._try(text, start, visited, width)
            if caps is not None:
                return [(caps[2 * i], caps[2 * i + 1]) if caps[2 * i] >= 0 and caps[2 * i + 1] >= 0 else (-1, -1)
                        for i in range(self.ncap + 1)]
        return None

    def _try(self, text: str, start: int, visited: set[int], width: int) -> list[int] | None:
        insts = self.insts
        caps = [-1] * (2 * self.ncap + 2)
        caps[0] = start
        jobs: list[tuple[int, int, bool, int]] = []
        key = self.start * width + start
        if key in visited:
            return None
        visited.add(key)
        jobs.append((self.start, start, False, 0))
        end = len(text)
        while jobs:
            pc, pos, arg, saved = jobs.pop()
            while True:
                inst = insts[pc]
                op = inst.op
                if op == _ALT:
                    if arg:
                        arg = False
                        pc = inst.arg
                    else:
                        jobs.append((pc, pos, True, 0))
                        pc = inst.out
                elif op == _RUNE:
                    if pos >= end or not inst.test(text[pos]):  # type: ignore[misc]
                        break
                    pos += 1
                    pc = inst.out
                elif op == _CAP:
                    if arg:  # finished inst.out: restore the old value
                        caps[inst.arg] = saved
                        break
                    jobs.append((pc, pos, True, caps[inst.arg]))
                    caps[inst.arg] = pos
                    pc = inst.out
                elif op == _EMPTY:
                    if not _empty_holds(inst.kind, text, pos):
                        break
                    pc = inst.out
                elif op == _NOP:
                    pc = inst.out
                else:  # match: leftmost-first, done
                    caps[1] = pos
                    return caps
                key = pc * width + pos
                if key in visited:
                    break
                visited.add(key)
        return None


def _is_word(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


def _empty_holds(kind: str, text: str, pos: int) -> bool:
    if kind == "bot":
        return pos == 0
    if kind == "eot":
        return pos == len(text)
    if kind == "bol":
        return pos == 0 or text[pos - 1] == "\n"
    if kind == "eol":
        return pos == len(text) or text[pos] == "\n"
    before = pos > 0 and _is_word(text[pos - 1])
    after = pos < len(text) and _is_word(text[pos])
    return (before != after) if kind == "wordb" else (before == after)


class _Compiler:
    """Go's syntax.Compile over the simplified tree (see `simplify` in _goregexp)."""

    def __init__(self, char_pattern: Callable[[object], str]) -> None:
        self.insts: list[_Inst] = []
        self.char_pattern = char_pattern

    def inst(self, op: int, **fields: object) -> int:
        self.insts.append(_Inst(op, **fields))  # type: ignore[arg-type]
        return len(self.insts) - 1

    def patch(self, holes: list[tuple[int, str]], target: int) -> None:
        for index, name in holes:
            setattr(self.insts[index], name, target)

    def compile(self, node: object) -> _Frag:  # node: _goregexp._Node
        op = node.op  # type: ignore[attr-defined]
        if op in ("lit", "class", "any"):
            matcher = regex.compile(self.char_pattern(node))
            cache: dict[str, bool] = {}

            def test(char: str, matcher: regex.Pattern[str] = matcher, cache: dict[str, bool] = cache) -> bool:
                found = cache.get(char)
                if found is None:
                    found = cache[char] = matcher.fullmatch(char) is not None
                return found

            i = self.inst(_RUNE, test=test)
            return _Frag(i, [(i, "out")], False)
        if op in ("bot", "eot", "bol", "eol", "wordb", "nowordb"):
            i = self.inst(_EMPTY, kind=op)
            return _Frag(i, [(i, "out")], True)
        if op == "empty":
            i = self.inst(_NOP)
            return _Frag(i, [(i, "out")], True)
        if op == "cap":
            bra = self.inst(_CAP, arg=2 * node.cap)  # type: ignore[attr-defined]
            sub = self.compile(node.subs[0])  # type: ignore[attr-defined]
            ket = self.inst(_CAP, arg=2 * node.cap + 1)  # type: ignore[attr-defined]
            self.insts[bra].out = sub.start
            self.patch(sub.holes, ket)
            return _Frag(bra, [(ket, "out")], sub.nullable)
        if op == "concat":
            frag = self.compile(node.subs[0])  # type: ignore[attr-defined]
            for sub_node in node.subs[1:]:  # type: ignore[attr-defined]
                sub = self.compile(sub_node)
                self.patch(frag.holes, sub.start)
                frag = _Frag(frag.start, sub.holes, frag.nullable and sub.nullable)
            return frag
        if op == "alt":
            frag = self.compile(node.subs[0])  # type: ignore[attr-defined]
            for sub_node in node.subs[1:]:  # type: ignore[attr-defined]
                sub = self.compile(sub_node)
                i = self.inst(_ALT, out=frag.start, arg=sub.start)
                frag = _Frag(i, frag.holes + sub.holes, frag.nullable or sub.nullable)
            return frag
        lazy = bool(node.flags & 8)  # type: ignore[attr-defined]  # NONGREEDY
        sub = self.compile(node.subs[0])  # type: ignore[attr-defined]
        if op == "quest":
            return self.quest(sub, lazy)
        if op == "plus":
            return _Frag(sub.start, self.loop(sub, lazy).holes, sub.nullable)
        # star
        if sub.nullable:  # Go: (x+)? gets the priorities right (golang.org/issue/46123)
            return self.quest(_Frag(sub.start, self.loop(sub, lazy).holes, sub.nullable), lazy)
        return self.loop(sub, lazy)

    def quest(self, sub: _Frag, lazy: bool) -> _Frag:
        if lazy:
            i = self.inst(_ALT, arg=sub.start)
            return _Frag(i, [(i, "out")] + sub.holes, True)
        i = self.inst(_ALT, out=sub.start)
        return _Frag(i, [(i, "arg")] + sub.holes, True)

    def loop(self, sub: _Frag, lazy: bool) -> _Frag:
        if lazy:
            i = self.inst(_ALT, arg=sub.start)
            frag = _Frag(i, [(i, "out")], True)
        else:
            i = self.inst(_ALT, out=sub.start)
            frag = _Frag(i, [(i, "arg")], True)
        self.patch(sub.holes, i)
        return frag


def compile_program(tree: object, ncap: int, char_pattern: Callable[[object], str]) -> Program:
    """Compile a simplified tree; `char_pattern(node)` is the `regex` pattern for one character node."""
    compiler = _Compiler(char_pattern)
    frag = compiler.compile(tree)
    match = compiler.inst(_MATCH)
    compiler.patch(frag.holes, match)
    return Program(compiler.insts, frag.start, ncap)
