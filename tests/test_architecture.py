"""The import contract: one dependency direction through the layers of ARCHITECTURE.md.

Every module of ``renewal_xl`` belongs to a layer (its top-level module or package). It may
import its own layer and the layers below it, never one above; third-party libraries that
belong to a shell are imported only by that shell. The test reads the source with ``ast``
(function-local imports included), so a lazy import cannot hide a wrong direction.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "renewal_xl"

# lowest first; names on one line are one layer and may not import each other
LAYERS: tuple[tuple[str, ...], ...] = (
    ("vocabulary",),  # every field and coverage item, declared once
    ("errors",),
    ("arrow_bytes",),  # the bytes of Arrow text columns, read by numpy
    ("money", "dates", "vin", "collation", "folding"),
    ("columns", "readers"),
    ("io",),  # files: register reading, safety pre-flight, atomic writes
    ("tariff",),
    ("pricing",),
    ("workflow",),
    ("reports",),
    ("app",),
    ("render", "spreadsheet", "spark"),  # xlsx renderers; the worksheet-function contract; the Spark engine
    ("templates", "calc"),
    ("cli",),
)
LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}

# third-party modules only these layers may import
RESTRICTED = {
    "openpyxl": {"io", "render", "tariff", "templates", "calc"},
    "xlsxwriter": {"render"},
    "rvgsrust_xlsxwriter": {"render"},
    "jetxl": {"render"},
    "python_calamine": {"io"},
    "fastexcel": {"io"},
    "click": {"cli"},
    "tqdm": {"cli"},
    "uno": {"calc"},
    "unohelper": {"calc"},
    "xlwings": set(),  # the core never imports xlwings: only udfs/ does
    "pyspark": {"spark"},  # the Spark engine (--engine spark) only
    "py4j": {"spark"},
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _layer(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module != "renewal_xl":
                found.append((node.lineno, node.module))
            else:  # from renewal_xl import money
                found += [(node.lineno, f"renewal_xl.{a.name}") for a in node.names]
    return found


def test_every_module_has_a_layer():
    unknown = {_layer(p) for p in _modules()} - set(LAYER_OF) - {"__init__"}
    assert not unknown, f"modules without a layer in LAYERS: {sorted(unknown)}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path):
    own = _layer(path)
    if own == "__init__":  # the public API re-exports from every layer
        return
    wrong = []
    for line, name in _imports(path):
        top, _, rest = name.partition(".")
        if top == "renewal_xl":
            target = rest.split(".")[0]
            if target != own and LAYER_OF[target] >= LAYER_OF[own]:
                wrong.append(f"line {line}: {own} imports {name} (layer {target} is not below)")
        elif top in RESTRICTED and own not in RESTRICTED[top]:
            wrong.append(f"line {line}: {own} imports {top}, which only {sorted(RESTRICTED[top])} may")
    assert not wrong, "\n".join(wrong)


def test_the_contract_catches_a_wrong_direction(tmp_path: Path):
    """The checker itself: an upward import is found (so the test above can fail)."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from renewal_xl.cli import main\n")
    assert (2, "renewal_xl.cli") in _imports(bad)
    assert LAYER_OF["cli"] > LAYER_OF["pricing"]
