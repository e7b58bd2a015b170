"""Handing the due list out (renewal-workflow §3b, ``renewals --split``): one due list per
owner holding only that owner's rows, so no owner's file carries another's customers.

Owner = the expiring policy's salesperson (``by="salesperson"``), agency code
(``by="agency"``; blank = direct business) or branch 机构 (``by="branch"``: a provincial or
head office hands each branch its list), as the list never reassigns a customer. An
owner's list keeps the due rows and the 已提前续保 policies of that owner only; owners are in
code-point order of their names; an owner with nothing due gets no list.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from renewal_xl.workflow.due import DueList

SPLITS = ("salesperson", "agency", "branch")


def owners(frame: pd.DataFrame, by: str) -> np.ndarray:
    """The owner of every row: the stripped ``by`` column, '' when blank."""
    column = frame[by].astype(object)
    return column.where(column.notna(), "").astype(str).str.strip().to_numpy(dtype=object)


def split_due(due: DueList, by: str) -> list[tuple[str, DueList]]:
    """``(owner, that owner's due list)`` for every owner with a due row ('' = no owner)."""
    if by not in SPLITS:
        raise ValueError(f"split by one of {SPLITS}, not {by!r}")
    mine, early = owners(due.rows, by), owners(due.early, by)
    parts = []
    for owner in sorted(set(mine)):
        rows = due.rows[mine == owner].reset_index(drop=True)
        parts.append(
            (
                owner,
                replace(
                    due,
                    rows=rows,
                    early=due.early[early == owner].reset_index(drop=True),
                    options=options_of(due.options, rows),
                ),
            )
        )
    return parts


def options_of(options: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The retention options of ``rows`` only, their ``row`` pointing into ``rows`` (an
    owner's list holds no other owner's options, and each option stays with its policy)."""
    position = pd.Series(np.arange(len(rows)), index=rows["policy_no"].to_numpy())
    kept = options[options["policy_no"].isin(position.index)]
    return kept.assign(row=position.reindex(kept["policy_no"]).to_numpy()).reset_index(drop=True)
