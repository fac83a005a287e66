"""A tool's argument schema: JSON Schema read from a function, a TypedDict, or a pydantic model.

Tributary does not depend on pydantic, so the schema is built here, shaped as
pydantic 2 shapes it for LangChain (``title``s, ``$defs`` and ``$ref``s for
nested classes, ``anyOf`` for unions), from the parameters' annotations:
``str``, ``int``, ``float``, ``bool``, ``None``, ``Any``, ``list``/``tuple``/``set``,
``dict[K, V]``, ``Literal``, unions, enums, ``Annotated[X, "description"]``,
TypedDicts (from ``typing`` or ``typing_extensions``), dataclasses, attrs
classes, and pydantic models (asked for their own ``model_json_schema()``).

Parameters annotated ``Annotated[X, InjectedToolArg]`` (or a subclass such as
``InjectedToolCallId`` or a graph's ``InjectedState``) are *injected*: part of
the input schema, hidden from the schema a model sees. Docstrings give the
description and, parsed, the arguments' descriptions (:mod:`.docstrings`).
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import inspect
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, Union

import attrs

from ..core.config import RunnableConfig
from .docstrings import docstring_text, parse_docstring
from .injected import InjectedToolArg, injection_of

__all__ = [
    "config_params",
    "JsonSchema",
    "ToolSchema",
    "schema_from_function",
    "schema_from_class",
    "json_type",
    "dereference",
    "is_typeddict",
    "is_pydantic_model",
    "stated_requirement",
]

# Parameters a tool function may declare that are never arguments (LangChain's list, and Tributary's injectables).
FILTERED_ARGS = frozenset(("run_manager", "callbacks", "config", "writer", "self", "cls"))


class JsonSchema(dict[str, Any]):
    """A JSON Schema dict that also answers pydantic's ``model_json_schema()`` (ported code calls it)."""

    def model_json_schema(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The schema as a plain dict (a copy)."""
        return copy.deepcopy(dict(self))

    def schema(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The schema as a plain dict (pydantic 1's name)."""
        return self.model_json_schema()


@attrs.frozen
class ToolSchema:
    """Everything a tool needs to know about its arguments.

    ``full`` is the input schema (injected arguments included), ``model`` the one
    a model sees; ``injected`` maps each injected argument to its marker;
    ``annotations`` are the arguments' Python types (to coerce dicts into
    pydantic models, dataclasses and enums); ``validator`` is the user's pydantic
    model, when the schema came from one.
    """

    full: dict[str, Any]
    model: dict[str, Any]
    injected: Mapping[str, Any] = attrs.field(factory=dict)
    annotations: Mapping[str, Any] = attrs.field(factory=dict)
    validator: Any = None

    @property
    def properties(self) -> dict[str, Any]:
        return dict(self.full.get("properties", {}))


def is_typeddict(value: Any) -> bool:
    """A TypedDict class, from ``typing`` or ``typing_extensions`` (whose classes ``typing`` does not recognise)."""
    return isinstance(value, type) and issubclass(value, dict) and hasattr(value, "__required_keys__")


def is_pydantic_model(value: Any) -> bool:
    """A pydantic (2) model class, recognised without importing pydantic."""
    return isinstance(value, type) and callable(getattr(value, "model_json_schema", None)) and hasattr(value, "model_fields")


def _title(name: str) -> str:
    return name.replace("_", " ").title()


def _json_default(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, set, frozenset)):
        return [_json_default(v) for v in value]
    if isinstance(value, list):
        return [_json_default(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_default(v) for k, v in value.items()}
    return value


_SIMPLE = {str: "string", int: "integer", float: "number", bool: "boolean", bytes: "string"}


def _qualifier_origins() -> frozenset[Any]:
    """TypedDict key qualifiers (``Required``, ``NotRequired``, ``ReadOnly``): they say nothing of the type."""
    found: set[Any] = {typing.Required, typing.NotRequired}
    found.update(q for q in (getattr(typing, "ReadOnly", None),) if q is not None)
    try:
        import typing_extensions
    except ImportError:  # pragma: no cover - typing_extensions is optional
        return frozenset(found)
    found.update(getattr(typing_extensions, q) for q in ("Required", "NotRequired", "ReadOnly"))
    return frozenset(found)


_QUALIFIERS = _qualifier_origins()


class _Builder:
    """Builds JSON Schemas of annotations, collecting named classes under ``$defs``."""

    def __init__(self, *, notes_in_classes: bool = False) -> None:
        self.defs: dict[str, Any] = {}
        # pydantic (which builds LangChain's schemas of function parameters) ignores a
        # plain-string Annotated note on a field of a nested class; LangChain reads the
        # notes of a TypedDict it converts itself, nested ones included.
        self.notes_in_classes = notes_in_classes
        self._class_depth = 0

    def ref(self, cls: type, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # reserved first: a class may refer to itself
            self.defs[name] = build()
        return {"$ref": f"#/$defs/{name}"}

    def of(self, annotation: Any) -> dict[str, Any]:
        """The JSON Schema of ``annotation`` (``{}`` when it says nothing)."""
        if annotation is inspect.Parameter.empty or annotation is Any or annotation is object:
            return {}
        if isinstance(annotation, typing.TypeVar):
            return {}
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin in _QUALIFIERS:
            return self.of(args[0])
        if origin is typing.Annotated:
            schema = self.of(args[0])
            notes = [a for a in args[1:] if isinstance(a, str)]
            if notes and (self.notes_in_classes or self._class_depth == 0):
                return {**schema, "description": notes[0]}
            return schema
        if annotation is None or annotation is type(None):
            return {"type": "null"}
        if origin is Literal:
            values = [_json_default(v) for v in args]
            kinds = {_SIMPLE.get(type(v)) for v in values}
            literal: dict[str, Any] = {"const": values[0]} if len(values) == 1 else {"enum": values}
            if len(kinds) == 1 and None not in kinds:
                literal["type"] = kinds.pop()
            return literal
        if origin in (Union, types.UnionType):
            return {"anyOf": [self.of(a) for a in args]}
        if annotation in _SIMPLE:
            return {"type": _SIMPLE[annotation]}
        if annotation in (list, tuple, set, frozenset) or origin in (list, tuple, set, frozenset, Sequence, Iterable):
            if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
                return {"maxItems": len(args), "minItems": len(args), "prefixItems": [self.of(a) for a in args], "type": "array"}
            array: dict[str, Any] = {"items": self.of(args[0]) if args else {}, "type": "array"}
            if annotation in (set, frozenset) or origin in (set, frozenset):
                array["uniqueItems"] = True
            return array
        if annotation is dict or origin in (dict, Mapping):
            value = self.of(args[1]) if len(args) == 2 else {}
            return {"additionalProperties": value or True, "type": "object"}
        if isinstance(annotation, type):
            if is_pydantic_model(annotation):
                return self.ref(annotation, lambda: self._pydantic(annotation))
            if issubclass(annotation, enum.Enum):
                return self.ref(annotation, lambda: self._enum(annotation))
            if is_typeddict(annotation) or dataclasses.is_dataclass(annotation) or attrs.has(annotation):
                return self.ref(annotation, lambda: self.object_schema(annotation))
        return {}

    def _pydantic(self, model: Any) -> dict[str, Any]:
        schema: dict[str, Any] = model.model_json_schema(ref_template="#/$defs/{model}")
        for name, definition in schema.pop("$defs", {}).items():
            self.defs.setdefault(name, definition)
        return schema

    def _enum(self, cls: type[enum.Enum]) -> dict[str, Any]:
        values = [m.value for m in cls]
        schema: dict[str, Any] = {"enum": values, "title": cls.__name__}
        kinds = {_SIMPLE.get(type(v)) for v in values}
        if len(kinds) == 1 and None not in kinds:
            schema["type"] = kinds.pop()
        return schema

    def object_schema(self, cls: type, *, title: str | None = None) -> dict[str, Any]:
        """The schema of a TypedDict, dataclass or attrs class (fields, defaults, required)."""
        self._class_depth += 1
        try:
            return self._object_schema(cls, title)
        finally:
            self._class_depth -= 1

    def _object_schema(self, cls: type, title: str | None) -> dict[str, Any]:
        hints = _hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        if is_typeddict(cls):
            for name, hint in hints.items():
                prop = self.of(hint)
                properties[name] = dict(prop) if _is_ref_only(prop) else {"title": _title(name), **prop}
                stated = stated_requirement(hint)
                if stated if stated is not None else name in cls.__required_keys__:  # type: ignore[attr-defined]
                    required.append(name)
        else:
            fields: list[tuple[str, Any, Any]] = (
                [(f.name, f.default, f.default_factory) for f in dataclasses.fields(cls)]
                if dataclasses.is_dataclass(cls)
                else [(f.name, f.default, None) for f in attrs.fields(cls)]
            )
            for name, default, factory in fields:
                prop = self.of(hints.get(name, Any))
                prop = dict(prop) if _is_ref_only(prop) else {"title": _title(name), **prop}
                if isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # a class at runtime
                    default = default.factory()
                if factory is not None and factory is not dataclasses.MISSING:
                    default = factory()
                if default is dataclasses.MISSING or default is attrs.NOTHING:
                    required.append(name)
                else:
                    prop["default"] = _json_default(default)
                properties[name] = prop
        schema: dict[str, Any] = {}
        doc = inspect.getdoc(cls) if cls.__doc__ and not _generated_doc(cls) else None
        if doc:
            schema["description"] = doc
        schema.update({"properties": properties, "title": title or cls.__name__, "type": "object"})
        if required:
            schema["required"] = required
        return schema

    def finish(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self.defs:
            schema = {"$defs": self.defs, **schema}
        ordered: dict[str, Any] = _sorted(schema)
        return ordered


_KEEP_ORDER = frozenset(("properties",))  # its keys are names, in declaration order
_VERBATIM = frozenset(("default", "enum", "const", "examples"))  # values, not schemas


def _sorted(node: Any, parent: str = "") -> Any:
    """Keys sorted as pydantic sorts a JSON Schema (so its text renders the same), names kept in order."""
    if isinstance(node, dict):
        items = node.items() if parent in _KEEP_ORDER else sorted(node.items())
        return {k: v if k in _VERBATIM else _sorted(v, k) for k, v in items}
    if isinstance(node, list):
        return [_sorted(item) for item in node]
    return node


def _generated_doc(cls: type) -> bool:
    # dataclasses and TypedDict write a docstring of their own when the class has none.
    doc = cls.__doc__ or ""
    return doc.startswith(f"{cls.__name__}(") or doc in (dict.__doc__, getattr(typing.TypedDict, "__doc__", None))


def _is_ref_only(schema: Mapping[str, Any]) -> bool:
    """A named class's schema, or that class or ``None``: pydantic gives such a field no title of its own."""
    if "$ref" in schema:
        return True
    options = schema.get("anyOf")
    return (
        isinstance(options, list) and len(options) == 2 and {"type": "null"} in options
        and any("$ref" in o for o in options)
    )


def stated_requirement(hint: Any) -> bool | None:
    """Whether a TypedDict field's (evaluated) hint says ``Required`` or ``NotRequired``.

    Under postponed annotations a TypedDict cannot see these qualifiers when the class
    is made, so its ``__required_keys__`` go by totality alone; pydantic reads the hints.
    """
    while True:
        origin = typing.get_origin(hint)
        name = getattr(origin, "_name", None)
        if name in ("Required", "NotRequired"):
            return bool(name == "Required")
        if origin is typing.Annotated or name == "ReadOnly":
            hint = typing.get_args(hint)[0]
            continue
        return None


def _hints(obj: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(obj, include_extras=True)
    except Exception:
        return dict(getattr(obj, "__annotations__", {}))


def json_type(annotation: Any) -> dict[str, Any]:
    """The JSON Schema of one annotation (nested classes inlined under ``$defs``)."""
    builder = _Builder()
    return builder.finish(builder.of(annotation))


def _property(builder: _Builder, name: str, annotation: Any, default: Any, description: str | None) -> dict[str, Any]:
    schema = builder.of(annotation)
    prop = dict(schema) if _is_ref_only(schema) else {"title": _title(name), **schema}
    if description:  # a parsed docstring's description wins over an Annotated one, as in LangChain
        prop["description"] = description
    if default is not inspect.Parameter.empty:
        prop["default"] = _json_default(default)
    return prop


def _model_view(full: dict[str, Any], injected: Iterable[str]) -> dict[str, Any]:
    hidden = set(injected)
    if not hidden:
        return full
    model = dict(full)
    model["properties"] = {k: v for k, v in full.get("properties", {}).items() if k not in hidden}
    if "required" in full:
        required = [k for k in full["required"] if k not in hidden]
        if required:
            model["required"] = required
        else:
            del model["required"]
    return _prune_defs(model)


def _prune_defs(schema: dict[str, Any]) -> dict[str, Any]:
    """Drop ``$defs`` entries nothing refers to any more (an injected argument's class)."""
    defs = schema.get("$defs")
    if not defs:
        return schema
    used: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref[len("#/$defs/"):]
                if name not in used:
                    used.add(name)
                    walk(defs.get(name))
            for key, value in node.items():
                if key != "$defs":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in schema.items() if k != "$defs"})
    kept = {k: v for k, v in defs.items() if k in used}
    out = {k: v for k, v in schema.items() if k != "$defs"}
    return {"$defs": kept, **out} if kept else out


def schema_from_function(
    func: Callable[..., Any],
    name: str,
    *,
    description: str = "",
    parse_docstring_args: bool = False,
    error_on_invalid_docstring: bool = False,
    exclude: Iterable[str] = (),
) -> tuple[ToolSchema, str]:
    """The schema of ``func``'s arguments, titled ``name``, and the description.

    The description is ``description`` if given, else the docstring (only its
    leading text when ``parse_docstring_args``, which also takes the arguments'
    descriptions from its ``Args:`` / ``Parameters`` section).

    Raises:
        ValueError: with ``error_on_invalid_docstring``, a docstring that does not
            describe the arguments; a docstring naming an argument the function lacks.
    """
    signature = inspect.signature(func)
    try:
        hints = typing.get_type_hints(func, include_extras=True)
    except NameError as error:
        # A string annotation naming something the function's module does not define
        # (a class or marker imported inside a function): its schema, and whether it is
        # injected, cannot be known.
        raise TypeError(
            f"cannot read the argument types of tool {name!r}: {error}; define or import that name "
            "at module level"
        ) from error
    except Exception:
        hints = dict(getattr(func, "__annotations__", {}))
    skip = set(exclude) | FILTERED_ARGS
    params = [
        p for p in signature.parameters.values()
        if p.name not in skip and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        and hints.get(p.name) is not RunnableConfig  # injected, as LangChain injects a RunnableConfig parameter
    ]
    if parse_docstring_args:
        annotated = [n for n in hints if n not in ("run_manager", "callbacks", "runtime", "return")]
        summary, arg_docs = parse_docstring(
            inspect.getdoc(func), annotated, error_on_invalid_docstring=error_on_invalid_docstring
        )
        known = set(hints) | set(signature.parameters)
        for arg in arg_docs:
            if arg not in known:
                raise ValueError(f"Arg {arg} in docstring not found in function signature.")
    else:
        summary, arg_docs = inspect.getdoc(func) or "", {}
    builder = _Builder()
    properties: dict[str, Any] = {}
    required: list[str] = []
    injected: dict[str, Any] = {}
    annotations: dict[str, Any] = {}
    for param in params:
        annotation = hints.get(param.name, param.annotation)
        marker = injection_of(annotation)
        if marker is not None:
            injected[param.name] = marker
        annotations[param.name] = annotation
        properties[param.name] = _property(builder, param.name, annotation, param.default, arg_docs.get(param.name))
        if param.default is param.empty:
            required.append(param.name)
    given = description
    description = description or summary
    full: dict[str, Any] = {}
    if description:
        full["description"] = description
    full.update({"properties": properties, "title": name, "type": "object"})
    if required:
        full["required"] = required
    full = builder.finish(full)
    # The schema's description is the cleaned docstring (as pydantic writes it); the tool's
    # own is the docstring as LangChain takes it (see ``docstring_text``).
    own = description if parse_docstring_args or given else docstring_text(func)
    return ToolSchema(full=full, model=_model_view(full, injected), injected=injected, annotations=annotations), own


def schema_from_class(args_schema: Any, name: str, description: str = "") -> ToolSchema:
    """The schema of a tool's ``args_schema``: a pydantic model, a TypedDict, or a JSON Schema dict.

    Raises:
        TypeError: anything else, naming what was given.
    """
    if isinstance(args_schema, Mapping):
        full = dict(args_schema)
        model = dict(full)
        if description and "description" not in model:
            model["description"] = description
        return ToolSchema(full=full, model=model)
    if is_pydantic_model(args_schema):
        full = dict(args_schema.model_json_schema())
        injected: dict[str, Any] = {}
        annotations: dict[str, Any] = {}
        for field_name, info in args_schema.model_fields.items():
            annotation = info.annotation
            for item in getattr(info, "metadata", ()):
                if injection_of(typing.Annotated[annotation, item]) is not None:
                    injected[field_name] = item
            annotations[field_name] = annotation
        return ToolSchema(
            full=full, model=_model_view(full, injected), injected=injected,
            annotations=annotations, validator=args_schema,
        )
    if is_typeddict(args_schema):
        builder = _Builder(notes_in_classes=True)
        full = builder.finish(builder.object_schema(args_schema))
        hints = _hints(args_schema)
        injected = {k: m for k, h in hints.items() if (m := injection_of(h)) is not None}
        return ToolSchema(full=full, model=_model_view(full, injected), injected=injected, annotations=hints)
    raise TypeError(
        f"args_schema must be a pydantic BaseModel subclass, a TypedDict or a JSON schema dict, "
        f"got {args_schema!r}"
    )


def dereference(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` with every ``#/$defs/`` reference replaced by its definition, and no ``$defs``."""
    defs = schema.get("$defs", {})

    def resolve(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] in defs and ref[8:] not in seen:
                target = resolve(defs[ref[8:]], (*seen, ref[8:]))
                return {**target, **{k: resolve(v, seen) for k, v in node.items() if k != "$ref"}}
            return {k: resolve(v, seen) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [resolve(item, seen) for item in node]
        return node

    out: dict[str, Any] = resolve(dict(schema), ())
    return out


def injected_markers(annotations: Mapping[str, Any]) -> dict[str, InjectedToolArg | type[InjectedToolArg]]:
    """The injected arguments among ``annotations``, each with its marker."""
    return {name: marker for name, hint in annotations.items() if (marker := injection_of(hint)) is not None}


def config_params(func: Callable[..., Any]) -> tuple[str, ...]:
    """The parameters of ``func`` annotated ``RunnableConfig`` (other than ``config``, injected by name)."""
    try:
        hints = typing.get_type_hints(func)
    except Exception:
        return ()
    return tuple(name for name, hint in hints.items() if hint is RunnableConfig and name != "config")
