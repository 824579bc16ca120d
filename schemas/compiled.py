"""Fixture schemas compiled to plain Python: the loader's fast path for valid files.

marshmallow stays the single description of a fixture file and the only source of
error messages; compiling only speeds up the common case, which matters at tens of
thousands of positions. A compiled checker returns exactly what ``Schema().load``
returns, or raises ``Invalid`` at the first problem; the loader then runs marshmallow
on that file to report every problem precisely. Each schema becomes one generated
function of straight-line code (the way fastjsonschema compiles JSON Schema). A field
type or hook the compiler does not translate makes it fall back to marshmallow itself.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, missing, validate

from schemas.codegen import CodeWriter


class Invalid(Exception):
    """The data do not pass; marshmallow will say why."""


class Unsupported(Exception):
    """The schema uses something this compiler does not translate."""


Checker = Callable[[Any], Any]
_MEMO_LIMIT = 1 << 18  # strings remembered as matching a pattern, per pattern


def compile_schema(schema_class: type[Schema]) -> Checker:
    """A function equivalent to ``schema_class().load`` for valid input; see module doc."""
    try:
        return _Compiler().schema(schema_class())
    except Unsupported:
        schema = schema_class()

        def fallback(data):
            try:
                return schema.load(data)
            except ValidationError:
                raise Invalid from None

        return fallback


def _call(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Wrap a marshmallow callable so that its ValidationError becomes Invalid."""

    def call(value):
        try:
            return function(value)
        except ValidationError:
            raise Invalid from None

    return call


class _Compiler(CodeWriter):
    def __init__(self):
        super().__init__(Invalid=Invalid)
        self.passed: dict[Any, str] = {}

    def schema(self, schema: Schema) -> Checker:
        source = self.schema_source(schema)
        return self.define(source, "check", f"compiled {type(schema).__name__}")

    def schema_source(self, schema: Schema, name: str = "check") -> str:
        if schema.unknown != RAISE:
            raise Unsupported(type(schema).__name__)
        record = self.record_of(schema)
        allowed = frozenset(f.data_key or n for n, f in schema.load_fields.items())
        lines = [
            f"def {name}(data):",
            f"    if type(data) is not dict or not {self.constant(allowed, 'keys')}"
            ".issuperset(data):",
            "        raise Invalid",
        ]
        # Without a record, the fields go into a dict; with one, into locals passed to it.
        if record is None:
            lines.append("    result = {}")
            store = {attr: f"result[{attr!r}]" for attr in schema.load_fields}
        else:
            store = {attr: f"field_{attr}" for attr in schema.load_fields}
        for attr, field in schema.load_fields.items():
            key = field.data_key or attr
            if field.required and not field.allow_none:
                # left out reads as None, which every conversion refuses (a type test first)
                lines.append(f"    value = data.get({key!r})")
                lines.extend("    " + line for line in self.convert_source(field, "value"))
                lines.append(f"    {store[attr]} = value")
                continue
            lines.append(f"    value = data.get({key!r}, MISSING)")
            lines.append("    if value is MISSING:")
            if field.required:
                lines.append("        raise Invalid")
            elif field.load_default is missing:
                if record is not None:
                    raise Unsupported(f"{type(schema).__name__}.{attr} may be left out")
                lines.append("        pass")
            else:
                default = self.constant(field.load_default, "default")
                call = "()" if callable(field.load_default) else ""
                lines.append(f"        {store[attr]} = {default}{call}")
            lines.append("    else:")
            lines.extend("        " + line for line in self.field_source(field, "value"))
            lines.append(f"        {store[attr]} = value")
        if record is None:
            lines.append("    return result")
        else:
            maker, parameters = record
            arguments = ", ".join(store[parameter] for parameter in parameters)
            lines.append(f"    return {self.constant(maker, 'record')}({arguments})")
        self.names["MISSING"] = missing
        return "\n".join(lines) + "\n"

    @staticmethod
    def record_of(schema: Schema) -> tuple[Callable[..., Any], list[str]] | None:
        """What makes the schema's loaded fields into a record, and its parameters in order.

        The only hook translated is the fixture schemas' ``make_record`` post-load: it
        calls the schema's ``record`` (if any) with the fields by name, so the compiled
        code calls it with the same fields, by position.
        """
        hooks = {tag: names for tag, names in schema._hooks.items() if names}
        if not hooks:
            return None
        if hooks != {"post_load": [("make_record", False, {"pass_original": False})]}:
            raise Unsupported(f"{type(schema).__name__} hooks")
        maker = getattr(type(schema), "record", None)
        if maker is None:
            return None
        try:
            parameters = list(inspect.signature(maker).parameters)
        except (TypeError, ValueError):
            raise Unsupported(f"{type(schema).__name__}.record") from None
        if sorted(parameters) != sorted(schema.load_fields):
            raise Unsupported(f"{type(schema).__name__}.record takes other arguments")
        return maker, parameters

    def field_source(self, field: fields.Field, var: str) -> list[str]:
        """Statements that check ``var`` and rebind it to the loaded value."""
        body = self.convert_source(field, var)
        if field.allow_none:
            return [f"if {var} is not None:", *("    " + line for line in body)]
        return [f"if {var} is None:", "    raise Invalid", *body]

    def convert_source(self, field: fields.Field, var: str) -> list[str]:
        kind = type(field)
        if kind is fields.Nested and not field.many:
            inner = self.constant(None, "nested")
            self.names[inner] = self.schema(field.schema)
            lines = [f"{var} = {inner}({var})"]
        elif kind is fields.List:
            item = f"{var}_item"
            inner = self.field_source(field.inner, item)
            lines = [
                f"if type({var}) is not list:",
                "    raise Invalid",
                f"{var}_out = []",
                f"for {item} in {var}:",
                *("    " + line for line in inner),
                f"    {var}_out.append({item})",
                f"{var} = {var}_out",
            ]
        elif kind is fields.String:
            lines = [f"if type({var}) is not str:", "    raise Invalid"]
        elif issubclass(kind, fields.Date) and field.format in (None, "iso", "iso8601"):
            # as fields.Date does: dates pass as they are, strings go through fromisoformat
            date_type = self.constant(date, "date")
            parse = self.constant(date.fromisoformat, "fromisoformat")
            dates = self.constant({}, "dates")  # one date object per day, parsed once
            lines = [
                f"if not isinstance({var}, {date_type}):",
                f"    if type({var}) is not str:",  # what fromisoformat would refuse anyway
                "        raise Invalid",
                f"    {var}_day = {dates}.get({var})",
                f"    if {var}_day is None:",
                "        try:",
                f"            {var}_day = {parse}({var})",
                "        except ValueError:",
                "            raise Invalid from None",
                f"        if len({dates}) < {_MEMO_LIMIT}:",
                f"            {dates}[{var}] = {var}_day",
                f"    {var} = {var}_day",
            ]
        elif kind in (fields.Integer, fields.URL, fields.Boolean):
            deserialize = self.constant(_call(field.deserialize), "deserialize")
            return [f"{var} = {deserialize}({var})"]
        else:
            raise Unsupported(kind.__name__)
        for validator in field.validators:
            lines.extend(self.validator_source(validator, var))
        return lines

    def validator_source(self, validator, var: str) -> list[str]:
        if type(validator) is validate.Regexp:
            # Ids recur thousands of times (party, issue, source): match each string once,
            # and hand back one shared string object for all its mentions.
            match = self.constant(validator.regex.match, "match")
            seen = self.passed.setdefault(validator.regex, self.constant({}, "passed"))
            return [
                f"{var}_known = {seen}.get({var})",
                f"if {var}_known is None:",
                f"    if {match}({var}) is None:",
                "        raise Invalid",
                f"    if len({seen}) < {_MEMO_LIMIT}:",
                f"        {seen}[{var}] = {var}",
                "else:",
                f"    {var} = {var}_known",
            ]
        if type(validator) is validate.Length and validator.equal is None:
            lines = []
            if validator.min is not None:
                lines += [f"if len({var}) < {validator.min}:", "    raise Invalid"]
            if validator.max is not None:
                lines += [f"if len({var}) > {validator.max}:", "    raise Invalid"]
            return lines
        if type(validator) is validate.OneOf:
            choices = self.constant({c: c for c in validator.choices}, "choices")
            return [f"if {var} not in {choices}:", "    raise Invalid", f"{var} = {choices}[{var}]"]
        return [f"{self.constant(_call(validator), 'validator')}({var})"]
