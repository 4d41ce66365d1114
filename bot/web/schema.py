"""Views as JSON, and the JSON Schema of each view, both read off the same dataclass.

`to_data` turns a view (frozen dataclasses, tuples, datetimes) into JSON-ready data; the
`SchemaBuilder` derives the JSON Schema (2020-12, as OpenAPI 3.1 uses) of the same class from its
type hints. Because both follow the class, the API's description cannot disagree with its answers.

A class may list properties to publish besides its fields in ``JSON_PROPERTIES`` (a ClassVar).
Times are ISO 8601 in UTC; text is passed through untouched.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import types
import typing
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

#: The JSON Schema of each Python type that maps to one directly.
_SCALARS: dict[type, dict[str, Any]] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
    datetime: {"type": "string", "format": "date-time"},
    date: {"type": "string", "format": "date"},
}


def _properties(cls: type) -> tuple[str, ...]:
    return tuple(getattr(cls, "JSON_PROPERTIES", ()))


def to_data(value: Any) -> Any:
    """JSON-ready data for a view: dataclasses as objects (fields, then `JSON_PROPERTIES`),
    tuples and lists as arrays, datetimes as ISO 8601 in UTC, enums as their values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name in _properties(type(value)):
            data[name] = to_data(getattr(value, name))
        return data
    if isinstance(value, Enum):
        return to_data(value.value)
    if isinstance(value, datetime):
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return aware.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_data(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot put a {type(value).__name__} into JSON")


class SchemaBuilder:
    """Collects the schemas of dataclasses under their class names (``components/schemas``)."""

    def __init__(self) -> None:
        self.schemas: dict[str, dict[str, Any]] = {}
        self._classes: dict[str, type] = {}

    def ref(self, cls: type) -> dict[str, Any]:
        """A ``$ref`` to `cls`'s schema, building it (and those it needs) on first use."""
        name = cls.__name__
        known = self._classes.get(name)
        if known is not None and known is not cls:
            raise ValueError(f"two view classes are called {name}: {known} and {cls}")
        if known is None:
            self._classes[name] = cls
            self.schemas[name] = {}  # placeholder: a class may refer to itself
            self.schemas[name] = self._object(cls)
        return {"$ref": f"#/components/schemas/{name}"}

    def _object(self, cls: type) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        properties: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            properties[f.name] = self.of(hints[f.name])
        for name in _properties(cls):
            prop = getattr(cls, name)
            returns = typing.get_type_hints(prop.fget)["return"]
            properties[name] = {**self.of(returns), "readOnly": True}
        schema: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
        }
        doc = (cls.__doc__ or "").strip()
        if doc and not doc.startswith(f"{cls.__name__}("):  # not the generated signature
            schema["description"] = " ".join(doc.split())
        return schema

    def of(self, hint: Any) -> dict[str, Any]:
        """The schema of a type hint."""
        if hint is type(None):
            return {"type": "null"}
        if hint is Any or hint is object:
            return {}
        if isinstance(hint, type) and issubclass(hint, Enum):
            return {"enum": [member.value for member in hint]}
        if isinstance(hint, type) and hint in _SCALARS:
            return dict(_SCALARS[hint])
        if isinstance(hint, type) and issubclass(hint, str):
            return {"type": "string"}
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            return self.ref(hint)
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin in (types.UnionType, typing.Union):
            options = [self.of(arg) for arg in args]
            return options[0] if len(options) == 1 else {"anyOf": options}
        if origin is typing.Literal:
            return {"enum": list(args)}
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return {"type": "array", "items": self.of(args[0])}
            return {
                "type": "array",
                "prefixItems": [self.of(arg) for arg in args],
                "minItems": len(args),
                "maxItems": len(args),
            }
        if origin in (list, collections.abc.Sequence):
            return {"type": "array", "items": self.of(args[0]) if args else {}}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.of(args[1]) if args else {}}
        raise TypeError(f"no JSON schema for {hint!r}")
