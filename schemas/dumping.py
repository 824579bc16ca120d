"""Response schemas compiled to plain functions: the same output as ``Schema.dump``, faster.

A snapshot of a large dataset is thousands of cells; marshmallow's general dump spends
most of its time finding each field's value and serializer again for every object. A
schema that derives from ``CompiledDumpSchema`` is compiled, once per class, into one
function per nested schema that reads each attribute and serializes it in a fixed
sequence. Anything the compiler does not translate — ``post_dump`` hooks, ``only`` or
``exclude``, unknown field types — is dumped by marshmallow itself, and
``tests/unit/test_dumping.py`` checks that both give identical output on real data.

A schema may also name a ``native`` type in its ``Meta``: a dataclass whose fields are
exactly the schema's output keys, in sorted order, holding values orjson writes as the
schema would (strings, integers, dates). The compiled dump hands such objects over as
they are, and orjson writes them with no Python code per object. The compiler refuses
a native type whose fields do not match the schema's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from marshmallow import Schema, SchemaOpts, fields, missing

from schemas.codegen import CodeWriter

Dumper = Callable[[Any], Any]


class Unsupported(Exception):
    """The schema uses something this compiler does not translate."""


# Types seen without __getitem__: for those, marshmallow's lookup is a plain getattr.
_PLAIN: set[type] = set()


def _get(obj, key: str):
    """marshmallow's attribute lookup: an item of a mapping, else an attribute."""
    if type(obj) is dict:
        return obj.get(key, missing)
    if hasattr(obj, "__getitem__"):
        try:
            return obj[key]
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
    else:
        _PLAIN.add(type(obj))
    return getattr(obj, key, missing)


def compile_dump(schema: Schema) -> Dumper:
    """One object → the dict ``schema.dump`` gives; raises Unsupported if it cannot."""
    return _Compiler().schema(schema)


class _Compiler(CodeWriter):
    """Writes, per schema, one function for dicts and one for plain objects."""

    def __init__(self):
        super().__init__(MISSING=missing, _get=_get, PLAIN=_PLAIN)

    def schema(self, schema: Schema) -> Dumper:
        hooks = schema._hooks
        if schema.only or schema.exclude or hooks.get("post_dump"):
            raise Unsupported(type(schema).__name__)
        pre = []
        for name, pass_collection, options in hooks.get("pre_dump", ()):
            if pass_collection or options.get("pass_original"):
                raise Unsupported(f"{type(schema).__name__}.{name}")
            pre.append(self.constant(getattr(schema, name), "hook"))
        fields_ = list(schema.dump_fields.items())
        lines = ["def dump(obj):"]
        native = getattr(schema.opts, "native", None)
        if native is not None:
            _check_native(native, fields_)
            lines += [
                f"    if type(obj) is {self.constant(native, 'native')}:",
                "        return obj",
            ]
        lines += [f"    obj = {hook}(obj, many=False)" for hook in pre]
        lines += [
            "    if type(obj) is dict:",
            "        get = obj.get",
            *("        " + line for line in self.body(fields_, "get({key!r}, MISSING)")),
            "    elif not hasattr(obj, '__getitem__'):",
            *("        " + line for line in self.body(fields_, "getattr(obj, {key!r}, MISSING)")),
            "    else:",
            *("        " + line for line in self.body(fields_, "_get(obj, {key!r})")),
            "    return result",
        ]
        return self.define("\n".join(lines) + "\n", "dump", f"dump {type(schema).__name__}")

    def body(self, fields_, first: str) -> list[str]:
        """Statements that fill ``result`` from ``obj``; ``first`` reads a top-level key."""
        lines, prefixes = ["result = {}"], {}
        for name, field in fields_:
            parts = (field.attribute or name).split(".")
            head = parts[0]
            if head not in prefixes:
                prefixes[head] = f"a{len(prefixes)}"
                lines.append(f"{prefixes[head]} = {first.format(key=head)}")
            lines.append(f"value = {prefixes[head]}")
            # as marshmallow does: None or missing part-way gives missing for the whole path
            lines += [
                f"value = getattr(value, {part!r}, MISSING) if type(value) in PLAIN "
                f"else _get(value, {part!r})"
                for part in parts[1:]
            ]
            lines.append("if value is MISSING:")
            if field.dump_default is missing:
                lines.append("    pass")
            else:
                default = self.constant(field.dump_default, "default")
                call = "()" if callable(field.dump_default) else ""
                lines.append(f"    result[{field.data_key or name!r}] = {default}{call}")
            lines.append("else:")
            expression = self.value(field, "value")
            lines.append(
                f"    result[{field.data_key or name!r}] = None if value is None else {expression}"
            )
        return lines

    def value(self, field: fields.Field, var: str) -> str:
        """An expression serializing the non-None value in ``var``."""
        kind = type(field)
        if kind is fields.String:
            return f"({var} if type({var}) is str else str({var}))"
        if kind is fields.Boolean:
            return f"bool({var})"
        if kind is fields.Integer and not field.as_string:
            return f"({var} if type({var}) is int else int({var}))"
        if kind is fields.Date and field.format in (None, "iso", "iso8601"):
            return f"{var}.isoformat()"
        if kind is fields.Enum and field.by_value is True:
            # the member's own attribute: ``.value`` is a slower descriptor for the same thing
            return f"{var}._value_"
        if kind is fields.Nested and not field.only and not field.exclude:
            inner = self.constant(_Compiler().schema(field.schema), "nested")
            return self.each(field.schema, inner, var) if field.many else f"{inner}({var})"
        if kind is fields.List:
            inner = self.constant(self.function(field.inner), "item")
            nested = field.inner if type(field.inner) is fields.Nested else None
            return self.each(nested and nested.schema, inner, var)
        if kind is fields.Dict and field.key_field is not None and field.value_field is not None:
            key = self.constant(self.function(field.key_field), "key")
            item = self.constant(self.function(field.value_field), "value")
            return f"{{{key}(k): {item}(v) for k, v in {var}.items()}}"
        # any other field: its own serializer, called for each value
        return f"{self.constant(field, 'field')}._serialize({var}, None, None)"

    def each(self, schema: Schema | None, inner: str, var: str) -> str:
        """A list comprehension dumping each item; native items are taken as they are."""
        native = schema is not None and getattr(schema.opts, "native", None)
        if not native:
            return f"[{inner}(item) for item in {var}]"
        native_name = self.constant(native, "native")
        return f"[item if type(item) is {native_name} else {inner}(item) for item in {var}]"

    def function(self, field: fields.Field) -> Dumper:
        """A function serializing one value of ``field``, None included."""
        source = f"def serialize(v):\n    return None if v is None else {self.value(field, 'v')}\n"
        return self.define(source, "serialize", f"dump {type(field).__name__}")


# what a native type's field may be declared as, for each kind of schema field
_NATIVE_TYPES = {
    fields.String: ("str",),
    fields.Integer: ("int",),
    fields.Date: ("date",),
    fields.Enum: ("str",),
    fields.Boolean: ("bool",),
    fields.List: ("list[str]", "tuple[str, ...]"),  # orjson writes a tuple as an array
}


def _check_native(native: type, fields_: list[tuple[str, fields.Field]]) -> None:
    """Raise TypeError unless ``native`` is written by orjson exactly as the schema dumps."""
    if not dataclasses.is_dataclass(native) or hasattr(native, "__slots__"):
        raise TypeError(f"{native.__name__}: a native type is a dataclass without slots")
    keys = [field.data_key or name for name, field in fields_]
    declared = [f for f in dataclasses.fields(native) if not f.name.startswith("_")]
    if [f.name for f in declared] != sorted(keys):
        raise TypeError(f"{native.__name__}: fields must be exactly {sorted(keys)}, in order")
    kinds = {field.data_key or name: field for name, field in fields_}
    for field in declared:
        schema_field = kinds[field.name]
        allowed = _NATIVE_TYPES.get(type(schema_field), ())
        annotation = field.type if isinstance(field.type, str) else field.type.__name__
        if schema_field.allow_none:
            allowed = tuple(f"{a} | None" for a in allowed)
        if annotation not in allowed or schema_field.dump_default is not missing:
            raise TypeError(
                f"{native.__name__}.{field.name}: {annotation} cannot stand for "
                f"{type(schema_field).__name__}"
            )


class CompiledDumpOpts(SchemaOpts):
    """``Meta.native``: see the module doc."""

    def __init__(self, meta, *args, **kwargs):
        super().__init__(meta, *args, **kwargs)
        self.native = getattr(meta, "native", None)


class CompiledDumpSchema(Schema):
    """A schema whose ``dump`` runs a compiled function when it can (see module doc)."""

    OPTIONS_CLASS = CompiledDumpOpts

    def dump(self, obj, *, many: bool | None = None):
        many = self.many if many is None else many
        dumper = self._compiled_dumper()
        if dumper is None:
            return super().dump(obj, many=many)
        return [dumper(item) for item in obj] if many else dumper(obj)

    def _compiled_dumper(self) -> Dumper | None:
        if self.only or self.exclude or self.context_is_set():
            return None
        cls = type(self)
        cache = cls.__dict__.get("_compiled")
        if cache is None:
            try:
                cache = (compile_dump(cls()),)
            except Unsupported:
                cache = (None,)
            cls._compiled = cache
        return cache[0]

    def context_is_set(self) -> bool:
        return bool(getattr(self, "context", None))
