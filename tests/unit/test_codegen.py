"""What the schema compilers share (schemas/codegen.py): constants and functions from source."""

from __future__ import annotations

from schemas.codegen import CodeWriter


def test_constants_get_fresh_names_and_functions_see_them():
    writer = CodeWriter(base=10)
    first, second = writer.constant(1, "one"), writer.constant(2, "one")
    assert first != second
    add = writer.define(f"def add(x):\n    return base + x + {first} + {second}\n", "add", "adder")
    assert add(100) == 113
    assert add.__code__.co_filename == "<adder>"  # how a traceback names generated code
