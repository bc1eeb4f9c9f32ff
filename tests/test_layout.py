"""The tests' own layout: what tests share lives in tests/support/, and nothing names this machine's paths.

- No module under tests/ imports a test module or a bench (``tests.test_*``, ``tests.bench``...): the only
  ``tests.`` package anything imports is ``tests.support``; no relative imports.
- No hard-coded absolute path under /work, /tmp, /root or /home (also inside a file:// URL) in the Python
  code or the text files under tests/; paths come from tests/support/paths.py (relative to the repository)
  or from pytest's ``tmp_path``.

tests/stories/ is not walked (its held-out half is never opened).
"""

from __future__ import annotations

import ast
import importlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import tests.support as support
from tests.support import TESTS

SUPPORT_PACKAGE = "tests.support"
NOT_WALKED = {TESTS / "stories"}
TEXT_SUFFIXES = {".md", ".yaml", ".yml", ".toml", ".txt", ".cfg", ".ini", ".sh"}
_ABSOLUTE_PATH = re.compile(r"(?<![\w.])(?:file://)?/(?:work|tmp|root|home)/")


def files_under_tests() -> Iterator[Path]:
    for folder, subfolders, names in os.walk(TESTS):
        here = Path(folder)
        subfolders[:] = sorted(d for d in subfolders if here / d not in NOT_WALKED and d != "__pycache__")
        yield from (here / name for name in sorted(names))


def python_files() -> list[Path]:
    return [p for p in files_under_tests() if p.suffix == ".py"]


def _allowed(module: str) -> bool:
    return not (module == "tests" or module.startswith("tests.")) or (
        module == SUPPORT_PACKAGE or module.startswith(SUPPORT_PACKAGE + "."))


def forbidden_imports(source: str) -> list[str]:
    """Imports of test modules, benches or other non-support parts of tests/, and relative imports."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if not _allowed(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                found.append("." * node.level + module)
            elif module == "tests":
                found += [f"tests.{alias.name}" for alias in node.names if alias.name != "support"]
            elif not _allowed(module):
                found.append(module)
    return found


def absolute_paths_in_code(source: str) -> list[str]:
    """String and bytes literals (f-string parts included) that name an absolute path of this machine."""
    literals = (node.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant))
    texts = (v.decode("latin-1") if isinstance(v, bytes) else v for v in literals if isinstance(v, str | bytes))
    return [text for text in texts if _ABSOLUTE_PATH.search(text)]


def _where(path: Path) -> str:
    return str(path.relative_to(TESTS.parent))


# --- the checks check what they say ---------------------------------------------------


@pytest.mark.parametrize("line", [
    "from tests.test_shifts import ev",
    "from tests.bench.bench_extraction import token_f1",
    "import tests.test_attribution",
    "from tests import test_shifts",
    "from tests.httpserver import LocalHTTPServer",
    "from .test_shifts import ev",
])
def test_an_import_of_a_test_module_is_found(line):
    assert forbidden_imports(line) != []


@pytest.mark.parametrize("line", [
    "from tests.support import ev, shared_path",
    "from tests.support.paths import REPO",
    "import tests.support",
    "from tests import support",
    "from storage.records import Shift",
    "import testsuite",
])
def test_an_import_of_support_or_the_code_is_allowed(line):
    assert forbidden_imports(line) == []


def test_an_absolute_path_literal_is_found_and_a_relative_one_is_not():
    root = "/"  # built from parts, so this file holds no such literal itself
    for where in ("work", "tmp", "root", "home"):
        assert absolute_paths_in_code(repr(f"{root}{where}/x.duckdb")) != []
        assert absolute_paths_in_code(repr(f"file://{root}{where}/saved.html")) != []
        assert absolute_paths_in_code(f"f'{root}{where}/{{name}}'") != []
    assert absolute_paths_in_code(repr("https://example.com/tmp/page.html")) == []
    assert absolute_paths_in_code(repr("data/articles/ground-truth.json")) == []
    assert absolute_paths_in_code("tmp_path / 'archive.duckdb'") == []


# --- the tree -----------------------------------------------------------------------------


def test_no_module_under_tests_imports_a_test_module_or_a_bench():
    offenders = {_where(p): found for p in python_files() if (found := forbidden_imports(p.read_text(encoding="utf-8")))}
    assert offenders == {}, "move what is shared into tests/support/ and import it from there"


def test_no_hard_coded_absolute_path_in_the_tests_code():
    offenders = {_where(p): found for p in python_files()
                 if (found := absolute_paths_in_code(p.read_text(encoding="utf-8")))}
    assert offenders == {}, "use tests/support/paths.py (relative to the repository) or tmp_path"


def test_no_hard_coded_absolute_path_in_the_tests_text_files():
    texts = [p for p in files_under_tests() if p.suffix in TEXT_SUFFIXES]
    assert texts, "the walk found the text files (README.md, label files)"
    offenders = [_where(p) for p in texts if _ABSOLUTE_PATH.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_walk_sees_the_test_modules_and_skips_the_stories():
    names = {p.name for p in python_files()}
    assert {"conftest.py", "test_layout.py", "paths.py", "build_devset.py", "score_shifts.py"} <= names
    assert not any(TESTS / "stories" in p.parents for p in files_under_tests())


def test_the_support_package_names_each_of_its_modules_public_names():
    for module_name, names in support._HOME.items():
        module = importlib.import_module(f"{SUPPORT_PACKAGE}.{module_name}")
        assert sorted(module.__all__) == sorted(names), module_name
    assert all(getattr(support, name) is not None for name in support.__all__)
    modules = {p.stem for p in (TESTS / "support").glob("*.py")} - {"__init__"}
    assert modules == set(support._HOME)
