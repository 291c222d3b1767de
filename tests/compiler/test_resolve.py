"""Loading and name resolution: imports, cycles, project roots, paths, the parse cache."""

from __future__ import annotations

from pathlib import Path

from ccmlang.compiler import loader
from ccmlang.compiler.compile import check_file, compile_file
from ccmlang.compiler.project import display_path, find_project_root

from .helpers import BRAND, SCHEMA, codes, project, where

LIB_C = 'library "C"\nstyle shared { size: 9pt }\ncomponent hi() { paragraph "hi" }\n'


def test_project_root_is_nearest_ccm_toml(tmp_path: Path) -> None:
    project(tmp_path, {"letters/deep/a.ccm": 'template "A"\nparagraph "x"\n'})
    assert find_project_root(tmp_path / "letters/deep/a.ccm") == tmp_path.resolve()
    (tmp_path / "letters" / "ccm.toml").write_text("", "utf-8")
    assert find_project_root(tmp_path / "letters/deep/a.ccm") == (tmp_path / "letters").resolve()


def test_project_root_defaults_to_template_directory(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    template = tmp_path / "x" / "a.ccm"
    template.write_text('template "A"\nparagraph "x"\n', "utf-8")
    assert find_project_root(template) == (tmp_path / "x").resolve()


def test_paths_are_shown_relative_to_the_root(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "brand/brand.ccm": BRAND,
            "statement/statement.ccm": (
                'template "S"\nimport "../brand/brand.ccm" as brand\n'
                'paragraph "x" style: brand.warnng\n'
            ),
        },
    )
    result = check_file(root / "statement/statement.ccm", lint=False)
    assert [where(d) for d in result.diagnostics if d.is_error] == [
        ("E1009", "statement/statement.ccm", 3, 22)
    ]
    assert display_path(root / "brand" / ".." / "x.ccm", root) == "x.ccm"


def test_module_source_paths(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "brand/brand.ccm": BRAND,
            "statement/statement.ccm": (
                'template "S"\nimport "../brand/brand.ccm" as brand\nparagraph "x"\n'
            ),
        },
    )
    program = compile_file(root / "statement/statement.ccm").program
    assert program.root.source_path == "statement/statement.ccm"
    assert program.root.imports["brand"].source_path == "brand/brand.ccm"
    assert program.project_root.resolve() == root.resolve()


def test_diamond_import_loads_each_file_once(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "a.ccm": 'template "A"\nimport "b.ccm" as b\nimport "c.ccm" as c\nuse b.x()\n',
            "b.ccm": 'library "B"\nimport "c.ccm" as c\ncomponent x() { use c.hi() }\n',
            "c.ccm": LIB_C,
        },
    )
    result = check_file(root / "a.ccm", lint=False)
    assert codes(result) == []
    assert result.template is not None
    program = result.template.program
    assert program.root.imports["c"] is program.root.imports["b"].imports["c"]
    assert len(result.files) == len(set(result.files)) == 3
    # qualified names follow the shortest alias chain from the template
    assert program.root.imports["c"].styles["shared"].qualname == "c.shared"
    assert program.root.imports["b"].components["x"].qualname == "b.x"


def test_import_cycle_message_shows_the_chain(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "t.ccm": 'template "T"\nimport "a.ccm" as a\nparagraph "x"\n',
            "a.ccm": 'library "A"\nimport "b.ccm" as b\n',
            "b.ccm": 'library "B"\nimport "c.ccm" as c\n',
            "c.ccm": 'library "C"\nimport "a.ccm" as a\n',
        },
    )
    result = check_file(root / "t.ccm", lint=False)
    [cycle] = [d for d in result.diagnostics if d.is_error]
    assert cycle.code == "E1002"
    assert "`a.ccm` → `b.ccm` → `c.ccm` → `a.ccm`" in cycle.message
    assert where(cycle)[1:] == ("c.ccm", 2, 8)
    assert sorted(label.span.file.path for label in cycle.labels) == ["a.ccm", "b.ccm"]


def test_self_import_is_a_cycle(tmp_path: Path) -> None:
    root = project(tmp_path, {"a.ccm": 'library "A"\nimport "a.ccm" as me\n'})
    assert codes(check_file(root / "a.ccm", lint=False)) == ["E1002"]


def test_outside_project(tmp_path: Path) -> None:
    (tmp_path / "shared.ccm").write_text(LIB_C, "utf-8")
    (tmp_path / "logo.svg").write_text("<svg/>", "utf-8")
    (tmp_path / "s.json").write_text("{}", "utf-8")
    root = project(
        tmp_path / "proj",
        {
            "t.ccm": (
                'template "T" data: "../s.json"\nimport "../shared.ccm" as shared\n'
                'image "../logo.svg" alt: "x"\nfont "F" { regular: "/etc/passwd.ttf" }\n'
            )
        },
    )
    result = check_file(root / "t.ccm", lint=False)
    assert codes(result) == ["E1003", "E1003", "E1003", "E1003"]
    assert str(tmp_path / "shared.ccm") not in result.files


def test_symlink_out_of_the_project_is_outside(tmp_path: Path) -> None:
    (tmp_path / "secret.svg").write_text("<svg/>", "utf-8")
    root = project(tmp_path / "proj", {"t.ccm": 'template "T"\nimage "logo.svg" alt: "x"\n'})
    (root / "logo.svg").symlink_to(tmp_path / "secret.svg")
    assert codes(check_file(root / "t.ccm", lint=False)) == ["E1003"]


def test_imported_library_with_syntax_errors_is_not_checked_further(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "t.ccm": 'template "T"\nimport "b.ccm" as b\nuse b.anything()\nparagraph "{zz}"\n',
            "b.ccm": 'library "B"\ncomponent x() { paragraph "a" ; }\n',
        },
    )
    result = check_file(root / "t.ccm", lint=False)
    # the syntax error, and nothing about `b.anything` (the library is broken); the
    # template itself is still checked (no schema: any name is an unchecked data field)
    assert [where(d)[:2] for d in result.diagnostics if d.is_error] == [("E0002", "b.ccm")]


def test_template_with_syntax_errors_still_checks_its_libraries(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "t.ccm": 'template "T"\nimport "b.ccm" as b\nparagraph "x" ;\n',
            "b.ccm": 'library "B"\nstyle s { colr: #000000 }\n',
        },
    )
    result = check_file(root / "t.ccm", lint=False)
    assert sorted(codes(result)) == ["E0002", "E1005"]


def test_header_rules(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "nohead.ccm": "style s { size: 9pt }\n",
            "lib.ccm": "style s { size: 9pt }\n",
            "t.ccm": 'template "T"\nimport "lib.ccm" as lib\nparagraph "x" style: lib.s\n',
        },
    )
    assert codes(check_file(root / "nohead.ccm", lint=False)) == ["E1017"]
    result = check_file(root / "t.ccm", lint=False)
    assert [where(d)[:2] for d in result.diagnostics if d.is_error] == [("E1017", "lib.ccm")]


def test_library_content_is_misplaced(tmp_path: Path) -> None:
    root = project(tmp_path, {"lib.ccm": 'library "L"\nparagraph "content"\npage { size: A4 }\n'})
    assert codes(check_file(root / "lib.ccm", lint=False)) == ["E1007", "E1007"]


def test_parse_cache_follows_file_contents(tmp_path: Path) -> None:
    root = project(tmp_path, {"t.ccm": 'template "T"\nparagraph "one"\n'})
    first = check_file(root / "t.ccm", lint=False)
    again = check_file(root / "t.ccm", lint=False)
    assert first.template is not None and again.template is not None
    assert first.template.program.root.module is again.template.program.root.module
    (root / "t.ccm").write_text('template "T"\nparagraph "two" ;\n', "utf-8")
    assert codes(check_file(root / "t.ccm", lint=False)) == ["E0002"]
    loader.clear_cache()
    assert codes(check_file(root / "t.ccm", lint=False)) == ["E0002"]


def test_data_contract_problems(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "array.json": {"type": "array"},
            "latin1.json": b'{"title": "caf\xe9"}',
            "ok.json": SCHEMA,
            "a.ccm": 'template "A" data: "array.json"\nparagraph "x"\n',
            "b.ccm": 'template "B" data: "latin1.json"\nparagraph "x"\n',
            "c.ccm": 'template "C" data: "nope.json"\nparagraph "x"\n',
            "d.ccm": 'template "D" data: "ok.json"\nparagraph "{customer.name}"\n',
        },
    )
    assert codes(check_file(root / "a.ccm", lint=False)) == ["E1018"]
    assert codes(check_file(root / "b.ccm", lint=False)) == ["E1018"]
    assert codes(check_file(root / "c.ccm", lint=False)) == ["E1016"]
    result = check_file(root / "d.ccm", lint=False)
    assert codes(result) == []
    assert result.template is not None
    assert result.template.program.header.schema_path == "ok.json"
    assert result.template.program.schema == SCHEMA
