"""Parse a prefix of a JSON document into the most complete value it shows.

Streaming output parsers and ``AIMessageChunk.tool_calls`` need a value out of
JSON text still arriving: ``{"name": "Fr`` reads as ``{"name": "Fr"}``.

How it works
------------
A push parser (:class:`_Parser`) consumes text left to right and keeps:
* a stack of open containers, each the dict or list being filled plus, for a
  dict, the key whose value comes next;
* which token may come next (a value, a key, a colon, a comma or a closer);
* the scalar token in progress: a string, a number or a literal (``true``).

A value is inserted into its parent only once it is complete, so an open
container is never reachable from another container. To render the current
view the parser starts from the token in progress and walks the stack outwards,
shallow-copying each open container and putting the rendered child into the
copy. Completed sub-values are shared, not copied.

What an unfinished token shows (as in LangChain's ``parse_partial_json``):
* a string value shows the characters so far (``"Fr`` -> ``'Fr'``);
* an object key shows nothing: the key appears once its value begins;
* a number shows its longest prefix that is a number (``67`` -> ``67``,
  ``1.`` -> ``1``, a lone ``-`` -> nothing);
* a literal shows nothing until complete (``tru``, ``nul``);
* a trailing comma or a key without a value shows nothing.

Text that shows no value yet (``""``, whitespace, ``tru``, ``-``) parses to
``None``, the same as a complete ``null``. Text that can never become JSON
(``{]``, ``[1 2``, ``{"a",``, anything after the top-level value) raises
:class:`PartialJsonError`, a ``ValueError`` naming the offset.

Deliberate differences from LangChain, which repairs text by deleting
characters from the end until ``json.loads`` accepts it: we raise on
malformed text instead of returning ``None`` or a repaired guess; an
unfinished escape (``"ab\\u00``) hides only the escape, not the whole string;
and a prefix with no value yet gives ``None`` instead of raising.
Like ``json.loads(strict=False)`` we accept raw control characters inside
strings and ``NaN``/``Infinity``/``-Infinity``.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final, Protocol, cast

import attrs

from ..core.errors import PartialJsonError

__all__ = ["parse_partial_json", "PartialJsonAccumulator", "PartialJsonError"]


class _RunPattern(Protocol):
    """A pattern whose ``match`` always succeeds: a run of zero or more characters."""

    def match(self, string: str, pos: int = ..., /) -> re.Match[str]: ...


def _run_pattern(pattern: str) -> _RunPattern:
    # re's stubs say match() may return None; a starred character class never fails.
    return cast(_RunPattern, re.compile(pattern))


_WHITESPACE: Final = _run_pattern(r"[ \t\n\r]*")
_STRING_RUN: Final = _run_pattern(r'[^"\\]*')
_NUMBER_RUN: Final = _run_pattern(r"[0-9eE+\-.]*")
_NUMBER: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_NUMBER_PREFIX: Final = re.compile(
    r"-?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*|(?:\.[0-9]+)?[eE][+-]?[0-9]*)?)?"
)
_HEX: Final = frozenset("0123456789abcdefABCDEF")
_ESCAPES: Final = {
    '"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
}
_LITERALS: Final[dict[str, Any]] = {
    "true": True, "false": False, "null": None,
    "NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf"),
}
_LITERAL_BY_FIRST: Final = {word[0]: word for word in _LITERALS if word[0] != "-"}

# What may come next, between tokens.
_VALUE, _VALUE_OR_CLOSE, _KEY, _KEY_OR_CLOSE, _COLON, _COMMA_OR_CLOSE, _END = range(7)
_EXPECTED: Final = (
    "a value", "a value or ']'", "a key string", "a key string or '}'", "':'",
    "',' or a closing bracket", "the end of the document",
)
# The scalar token in progress.
_NO_TOKEN, _STRING, _KEY_STRING, _NUMBER_TOKEN, _LITERAL = range(5)

_NOTHING: Final[Any] = object()
"""Rendering of a token that shows no value yet."""


@attrs.define(eq=False)
class _Frame:
    container: dict[str, Any] | list[Any]
    key: str = ""


@attrs.define(eq=False)
class _Parser:
    """The push parser; see the module docstring."""

    stack: list[_Frame] = attrs.Factory(list)
    expect: int = _VALUE
    root: Any = _NOTHING
    offset: int = 0  # characters consumed by earlier calls to feed()
    dirty: bool = False  # the rendering may have changed; the caller clears it
    token: int = _NO_TOKEN
    token_start: int = 0
    parts: list[str] = attrs.Factory(list)
    escape: str = ""
    high_surrogate: str = ""
    number: str = ""
    literal: str = ""
    literal_len: int = 0

    def feed(self, text: str) -> None:
        i, end = 0, len(text)
        try:
            while i < end:
                token = self.token
                if token == _STRING or token == _KEY_STRING:
                    i = self._scan_string(text, i)
                elif token == _NUMBER_TOKEN:
                    i = self._scan_number(text, i)
                elif token == _LITERAL:
                    i = self._scan_literal(text, i)
                else:
                    i = _WHITESPACE.match(text, i).end()
                    if i < end:
                        i = self._between_tokens(text[i], i)
        finally:
            self.offset += i

    def render(self) -> Any:
        """The value the text so far shows; ``None`` if none yet."""
        child = self._render_token()
        for frame in reversed(self.stack):
            copy: Any = frame.container.copy()
            if child is not _NOTHING:
                if isinstance(copy, dict):
                    copy[frame.key] = child
                else:
                    copy.append(child)
            child = copy
        if self.root is not _NOTHING:
            return self.root
        return None if child is _NOTHING else child

    def _error(self, message: str, index: int) -> PartialJsonError:
        return PartialJsonError(message, self.offset + index)

    def _between_tokens(self, char: str, i: int) -> int:
        expect = self.expect
        if expect == _VALUE or expect == _VALUE_OR_CLOSE:
            if char == "]" and expect == _VALUE_OR_CLOSE:
                self._close()
                return i + 1
            return self._start_value(char, i)
        if char == '"' and (expect == _KEY or expect == _KEY_OR_CLOSE):
            self.token, self.parts = _KEY_STRING, []
            return i + 1
        if char == "}" and expect == _KEY_OR_CLOSE:
            self._close()
            return i + 1
        if char == ":" and expect == _COLON:
            self.expect = _VALUE
            return i + 1
        if expect == _COMMA_OR_CLOSE:
            in_dict = isinstance(self.stack[-1].container, dict)
            if char == ",":
                self.expect = _KEY if in_dict else _VALUE
                return i + 1
            if char == ("}" if in_dict else "]"):
                self._close()
                return i + 1
        raise self._error(f"expected {_EXPECTED[expect]}, got {char!r}", i)

    def _start_value(self, char: str, i: int) -> int:
        self.token_start = self.offset + i
        if char == "{" or char == "[":
            self.stack.append(_Frame({} if char == "{" else []))
            self.expect = _KEY_OR_CLOSE if char == "{" else _VALUE_OR_CLOSE
            self.dirty = True
            return i + 1
        if char == '"':
            self.token, self.parts = _STRING, []
            self.dirty = True
            return i + 1
        if char == "-" or "0" <= char <= "9":
            self.token, self.number = _NUMBER_TOKEN, ""
            return i  # _scan_number consumes it
        if char in _LITERAL_BY_FIRST:
            self.token, self.literal, self.literal_len = _LITERAL, _LITERAL_BY_FIRST[char], 1
            return i + 1
        raise self._error(f"expected a value, got {char!r}", i)

    def _put(self, value: Any) -> None:
        """Insert a completed value into the open container, or make it the root."""
        self.token = _NO_TOKEN
        if not self.stack:
            self.root, self.expect = value, _END
            return
        frame = self.stack[-1]
        if isinstance(frame.container, dict):
            frame.container[frame.key] = value
        else:
            frame.container.append(value)
        self.expect = _COMMA_OR_CLOSE

    def _close(self) -> None:
        self._put(self.stack.pop().container)  # not dirty: the container was shown already

    def _scan_string(self, text: str, i: int) -> int:
        end = len(text)
        while i < end:
            if self.escape:
                i = self._scan_escape(text, i)
                continue
            run_end = _STRING_RUN.match(text, i).end()
            if run_end > i:
                self._append(text[i:run_end])
                i = run_end
            if i == end:
                break
            if text[i] == '"':
                self._end_string()
                return i + 1
            self.escape = "\\"
            i += 1
        return i

    def _scan_escape(self, text: str, i: int) -> int:
        if self.escape == "\\":
            char = text[i]
            if char == "u":
                self.escape = "\\u"
                return i + 1
            if char not in _ESCAPES:
                raise self._error(f"invalid escape '\\{char}' in a string", i)
            self.escape = ""
            self._append(_ESCAPES[char])
            return i + 1
        digits = text[i : i + 6 - len(self.escape)]
        for k, digit in enumerate(digits):
            if digit not in _HEX:
                raise self._error(f"expected a hex digit in a \\u escape, got {digit!r}", i + k)
        self.escape += digits
        if len(self.escape) == 6:
            self._append_code_point(int(self.escape[2:], 16))
            self.escape = ""
        return i + len(digits)

    def _append(self, piece: str) -> None:
        if self.high_surrogate:
            self.parts.append(self.high_surrogate)
            self.high_surrogate = ""
        self.parts.append(piece)
        if self.token == _STRING:
            self.dirty = True

    def _append_code_point(self, code: int) -> None:
        # A high surrogate is held back until we know whether a low one follows;
        # like json.loads, an escaped pair becomes one character.
        if 0xD800 <= code <= 0xDBFF:
            if self.high_surrogate:
                self.parts.append(self.high_surrogate)
            self.high_surrogate = chr(code)
        elif 0xDC00 <= code <= 0xDFFF and self.high_surrogate:
            high = ord(self.high_surrogate) - 0xD800
            self.high_surrogate = ""
            self._append(chr(0x10000 + (high << 10) + (code - 0xDC00)))
        else:
            self._append(chr(code))

    def _end_string(self) -> None:
        value = "".join(self.parts) + self.high_surrogate
        self.parts, self.high_surrogate = [], ""
        if self.token == _KEY_STRING:
            self.token, self.expect = _NO_TOKEN, _COLON
            self.stack[-1].key = value
        else:
            self._put(value)

    def _scan_number(self, text: str, i: int) -> int:
        run_end = _NUMBER_RUN.match(text, i).end()
        if run_end > i:
            self.number += text[i:run_end]
            self.dirty = True
        if self.number == "-" and text.startswith("I", run_end):
            self.token, self.literal, self.literal_len = _LITERAL, "-Infinity", 1
            return run_end
        if run_end < len(text):  # the number ended
            if not _NUMBER.fullmatch(self.number):
                raise PartialJsonError(f"invalid number {self.number!r}", self.token_start)
            self._put(_to_number(self.number))
        elif not _NUMBER_PREFIX.fullmatch(self.number):
            raise PartialJsonError(f"invalid number {self.number!r}", self.token_start)
        return run_end

    def _scan_literal(self, text: str, i: int) -> int:
        word, done = self.literal, self.literal_len
        piece = text[i : i + len(word) - done]
        for k, char in enumerate(piece):
            if char != word[done + k]:
                raise self._error(f"expected {word!r}, got {char!r}", i + k)
        self.literal_len = done + len(piece)
        if self.literal_len == len(word):
            self.dirty = True
            self._put(_LITERALS[word])
        return i + len(piece)

    def _render_token(self) -> Any:
        if self.token == _STRING:
            self.parts = ["".join(self.parts)]  # so the next render joins only the new text
            return self.parts[0]
        if self.token == _NUMBER_TOKEN:
            match = _NUMBER.match(self.number)
            return _to_number(match.group()) if match else _NOTHING
        return _NOTHING


def _to_number(text: str) -> int | float:
    return float(text) if "." in text or "e" in text or "E" in text else int(text)


def parse_partial_json(text: str, *, strict: bool = False) -> Any:
    """Parse ``text``, a whole JSON document or a prefix of one.

    Returns the most complete value the text shows (see the module docstring),
    or ``None`` if it shows none yet. ``strict=True`` refuses control characters
    inside strings of a complete document (``json.loads``' rule).

    Raises:
        PartialJsonError: no continuation of ``text`` is valid JSON.
    """
    try:
        # Fast path: a complete document (the common case at the end of a stream).
        return json.loads(text, strict=strict)
    except json.JSONDecodeError:
        pass
    parser = _Parser()
    parser.feed(text)
    return parser.render()


@attrs.define(eq=False)
class PartialJsonAccumulator:
    """Parse JSON text that arrives in pieces, without reparsing from the start.

    ``feed(delta)`` returns whether :attr:`value` changed (compared with
    ``!=``, as LangChain's cumulative output parsers do).

    Cost: ``feed`` scans only ``delta``. When the delta can change the value,
    it also renders it, which costs the nesting depth plus the number of items
    in still-open containers (they are shallow-copied) plus the length of a
    string in progress, and compares the result with the previous value at
    about the same cost (completed sub-values are shared, so ``==`` meets them
    by identity). Reparsing every prefix would cost the whole text per delta;
    this is much cheaper for large documents, but feeding a long, still-open
    array one item at a time is still quadratic in its length.

    Successive values share completed sub-values: copy one before mutating it.
    After a :class:`PartialJsonError` the accumulator is unusable and every
    later ``feed`` raises the same error.
    """

    _parser: _Parser = attrs.field(factory=_Parser, init=False)
    _value: Any = attrs.field(default=None, init=False)
    _error: PartialJsonError | None = attrs.field(default=None, init=False)

    def feed(self, delta: str) -> bool:
        """Consume the next piece of text; return ``True`` if :attr:`value` changed.

        Raises:
            PartialJsonError: the text fed so far is not a prefix of any JSON document.
        """
        if self._error is not None:
            raise self._error
        parser = self._parser
        try:
            parser.feed(delta)
        except PartialJsonError as exc:
            self._error = exc
            raise
        if not parser.dirty:
            return False
        parser.dirty = False
        value = parser.render()
        changed = bool(value != self._value)
        self._value = value
        return changed

    @property
    def value(self) -> Any:
        """The value the text so far shows; ``None`` if none yet."""
        return self._value

    @property
    def complete(self) -> bool:
        """Whether a whole top-level value has been read (only whitespace may follow)."""
        return self._parser.expect == _END
