"""The worksheet functions' signatures are the contract's (excel-contract §1): the generated
table ``udfs/CONTRACT.md`` equals the code, and the code equals the contract's own table in
``../shared/spec/excel-contract.md`` (names, order, optional arguments, stated defaults)."""

import re
from pathlib import Path

from renewal_xl.spreadsheet.signatures import contract_rows, contract_table

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "spec" / "excel-contract.md"


def _spec_rows() -> dict[str, str]:
    assert SPEC.exists(), f"the contract is read from {SPEC} (../shared beside the checkout, as in CI)"
    section = SPEC.read_text(encoding="utf-8").split("## 2.")[0]
    rows = dict(re.findall(r"^\| ([A-Z_]+) \| ([^|]+) \|", section, re.M))
    return {k: rows[v.split()[-1]] if v.startswith("same as") else v.strip() for k, v in rows.items()}


def _normalised(args: str) -> list[str]:
    """``[as_of=today]`` is the contract's way of writing a blank default the engine fills;
    prose (``a table range with a header row …``) describes one required argument."""
    parts = [a.strip() for a in args.split(",")]
    if not all(re.fullmatch(r"\[?\w+(=\w+)?\]?", a) for a in parts):
        return ["<one argument>"]
    return [re.sub(r"=today\]$", "]", a) for a in parts]


def test_the_committed_signature_table_is_generated_from_the_code():
    assert (ROOT / "udfs" / "CONTRACT.md").read_text(encoding="utf-8") == contract_table()


def test_every_function_has_the_contracts_signature():
    spec, code = _spec_rows(), contract_rows()
    for name in spec.keys() & code.keys():
        want = _normalised(spec[name])
        got = (
            _normalised(code[name]) if want != ["<one argument>"] else ["<one argument>"] * len(_normalised(code[name]))
        )
        assert got == want, name
    assert code.keys() == spec.keys(), "functions the contract names and the code has differ"
