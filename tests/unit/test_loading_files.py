"""The fixture directory as a boundary (service/loading/files.py): which files are read, and
which are refused, with names relative to the directory."""

from __future__ import annotations

from service.loading.files import find


def names(found) -> list[str]:
    return [file.name for file in found]


def test_yaml_files_at_any_depth_in_name_order_hidden_ones_skipped(tmp_path):
    for name in ("b.yaml", "a.yml", "sub/c.yaml", ".hidden.yaml", ".git/d.yaml", "notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("a: 1\n")
    found, problems = find(tmp_path, 1 << 20)
    assert (names(found), problems) == (["a.yml", "b.yaml", "sub/c.yaml"], [])


def test_a_link_leading_outside_is_refused_and_one_inside_is_followed(tmp_path):
    root, outside = tmp_path / "fixtures", tmp_path / "secret.yaml"
    root.mkdir()
    outside.write_text("password: x\n")
    (root / "real.yaml").write_text("a: 1\n")
    (root / "escape.yaml").symlink_to(outside)
    (root / "alias.yaml").symlink_to(root / "real.yaml")
    found, problems = find(root, 1 << 20)
    assert names(found) == ["alias.yaml", "real.yaml"]
    assert [str(p) for p in problems] == [
        "escape.yaml:1: (file): a symbolic link that leads outside the fixture directory"
    ]


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    (tmp_path / "big.yaml").write_bytes(b"#" * (3 << 20))
    (tmp_path / "small.yaml").write_text("a: 1\n")
    found, problems = find(tmp_path, 2 << 20)
    assert names(found) == ["small.yaml"]
    assert [str(p) for p in problems] == [
        "big.yaml:1: (file): the file is 3.0 MB, over the limit of 2 MB (PARLEY_MAX_FILE_MB)"
    ]
