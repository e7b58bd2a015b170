"""Texts shaped as the cells of sheet XML, for the property tests of the pre-flight's
position reading (tests/test_hostile_files.py, tests/test_preflight_scan.py)."""

from hypothesis import strategies as st

from renewal_xl.io.safety import column_letters


def cell_texts(
    tags: list[str], max_row: int, ends: list[str], *, min_size: int = 0, max_size: int
) -> st.SearchStrategy:
    """Sheet-like XML (bytes) of cells ``{tag}r="{letters}{row}{end}><v>1</v></c>``: ``tag``
    one of ``tags``, letters of a column up to 18,300 or none, a row up to ``max_row``."""
    cell = st.tuples(
        st.sampled_from(tags),
        st.integers(0, 18_300).map(lambda n: column_letters(n) if n else ""),
        st.integers(0, max_row),
        st.sampled_from(ends),
    )
    return st.lists(cell, min_size=min_size, max_size=max_size).map(
        lambda cells: "".join(f'{tag}r="{letters}{row}{end}><v>1</v></c>' for tag, letters, row, end in cells).encode()
    )
