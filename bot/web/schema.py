"""Views as JSON, and the JSON Schema of each view, both from pydantic's `TypeAdapter` of one class.

The views are plain frozen dataclasses (`bot.services.views`, `bot.domain.picture` …); pydantic
reads their type hints both to write an answer (`to_json`) and to describe it (`schemas`), so
the API's description cannot disagree with its answers. A property published besides the fields
is a `pydantic.computed_field` (``readOnly`` in the schema). `from_json` reads an answer back into
its view, which is how the tests check that nothing is lost on the way.

Times are ISO 8601; the views hold aware UTC datetimes, which pydantic writes with ``Z``. Text is
passed through untouched (UTF-8, not escaped): JSON is data, and whoever shows it escapes it.

The schemas are JSON Schema 2020-12, as OpenAPI 3.1 uses, in pydantic's serialisation mode (what
the API writes, not what it would accept), with three adjustments in `ViewSchema`: every field is
required and no other is allowed (an answer always carries all of them), defaults are left out
(a reader never sees one applied), and fields have no titles (pydantic's titles only repeat the
field name).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

T = TypeVar("T")

#: Where the OpenAPI document keeps the schemas (``components/schemas``).
REF_TEMPLATE = "#/components/schemas/{model}"


_adapters: dict[type[Any], TypeAdapter[Any]] = {}


def adapter(cls: type[T]) -> TypeAdapter[T]:
    """The pydantic adapter of a view class, built once (building one compiles its schema)."""
    found = _adapters.get(cls)
    if found is None:
        found = _adapters[cls] = TypeAdapter(cls)
    return found


def to_json(cls: type[Any], value: Any) -> bytes:
    """`value` as the UTF-8 JSON of its view class `cls` (fields, then computed fields)."""
    return adapter(cls).dump_json(value)


def to_data(cls: type[Any], value: Any) -> Any:
    """`value` as JSON-ready Python data (dicts, lists, strings …), as `to_json` writes it."""
    return adapter(cls).dump_python(value, mode="json")


def from_json(cls: type[T], data: str | bytes) -> T:
    """An answer read back into its view class; `pydantic.ValidationError` if it does not fit."""
    return adapter(cls).validate_json(data)


class ViewSchema(GenerateJsonSchema):
    """Pydantic's JSON Schema, cut to what the API's answers promise (see the module doc)."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def field_is_required(
        self,
        field: core_schema.ModelField | core_schema.DataclassField | core_schema.TypedDictField,
        total: bool,
    ) -> bool:
        if self.mode == "serialization" and field["type"] == "dataclass-field":
            return not field.get("serialization_exclude")
        return super().field_is_required(field, total)

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        if self.mode == "serialization":
            return self.generate_inner(schema["schema"])
        return super().default_schema(schema)

    def dataclass_schema(self, schema: core_schema.DataclassSchema) -> JsonSchemaValue:
        json_schema = super().dataclass_schema(schema)
        if self.mode == "serialization" and json_schema.get("type") == "object":
            json_schema["additionalProperties"] = False
        return json_schema


def schemas(
    classes: Iterable[type[Any]],
) -> tuple[dict[type[Any], JsonSchemaValue], dict[str, JsonSchemaValue]]:
    """For view classes: a ``$ref`` to each one's schema, and the schemas the refs point to (each
    class and those it needs, by class name) for ``components/schemas``."""
    unique = list(dict.fromkeys(classes))
    refs, document = TypeAdapter.json_schemas(
        [(index, "serialization", adapter(cls)) for index, cls in enumerate(unique)],
        ref_template=REF_TEMPLATE,
        schema_generator=ViewSchema,
    )
    by_class = {cls: refs[(index, "serialization")] for index, cls in enumerate(unique)}
    return by_class, document.get("$defs", {})
