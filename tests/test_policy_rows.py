"""The typed policies of a register, read a column at a time, against the rules read plainly
one row at a time: which rows are kept (the first usable row of a policy number), each row's
channel, channel name, agency code and message, and the count of later policies of a VIN
(already renewed, renewal-workflow §2)."""

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from registers import D, policy, register

from renewal_xl.folding import code
from renewal_xl.pricing.commission import read_channels
from renewal_xl.readers import Cell, OneError
from renewal_xl.tariff import default_tariff
from renewal_xl.workflow.history import EARLY_DAYS, later_policies
from renewal_xl.workflow.policies import read_policies

T = default_tariff()
START = D(2025, 1, 1)

# (policy number, whether its keys are readable): a few numbers, so that they repeat
ROWS = st.lists(st.tuples(st.sampled_from(["P1", "P2", "p1", "P3", " P2 "]), st.booleans()), max_size=25)


@settings(max_examples=200, deadline=None)
@given(ROWS)
def test_the_first_usable_row_of_a_policy_number_is_kept(rows):
    assume(2 * sum(not usable for _, usable in rows) <= len(rows))  # else the register is refused
    cells = [policy(no, k, START, **({} if usable else {"vin": " "})) for k, (no, usable) in enumerate(rows)]
    read = read_policies(register(*cells), T)
    seen, kept = set(), []
    for k, (no, usable) in enumerate(rows):  # the rule, one row at a time
        if usable and no.strip() not in seen:
            seen.add(no.strip())
            kept.append(k)
    assert read.table["row"].tolist() == register(*cells).frame.index[kept].tolist()
    assert read.table["policy_no"].tolist() == [rows[k][0].strip() for k in kept]
    assert read.skipped == len(rows) - len(kept)
    assert read.register["policy_no"].tolist() == [rows[k][0] for k in kept]


CHANNEL_TEXTS = st.sampled_from(
    ["", " ", "直销", "专业代理", " agency ", "AGENCY", "Direct", "电销?", "渠道X", "\u3000"]
)
AGENCY_TEXTS = st.sampled_from(["", "ag001", " AG001", "ａｇ００２", "Ag002 ", "x"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(CHANNEL_TEXTS, AGENCY_TEXTS, st.booleans()), min_size=1, max_size=25))
def test_channels_agencies_and_messages_are_each_rows_own(rows):
    cells = [
        policy(f"P{k}", k, START, channel=channel, agency=agency, premium=3000.0 if fine else "abc")
        for k, (channel, agency, fine) in enumerate(rows)
    ]
    table = read_policies(register(*cells), T).table
    names = {c.code: c.name_zh for c in T.channels.values()}
    for k, (channel, agency, fine) in enumerate(rows):
        text = channel.strip()  # the text column's cell, as messages quote it
        errors = OneError()
        found = read_channels(Cell(text), "channel", errors, T)  # one cell by the same rule
        known = errors.ok and text != ""
        assert table.loc[k, "channel"] == (found if known else "")
        assert table.loc[k, "channel_name"] == (names[found] if known else text)
        assert table.loc[k, "agency"] == code(agency)
        premium_error = "保费 premium=abc: 不是数字"  # the row's first problem: premium is read before channel
        assert table.loc[k, "error"] == (premium_error if not fine else "" if errors.ok else str(errors.error))
    assert all(str(table[c].dtype) == "str" for c in ("channel", "channel_name", "agency", "error"))


# policies of a few vehicles: (vehicle, start as days after START, term in days)
TERMS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 800), st.integers(0, 400)), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(TERMS, st.data())
def test_later_policies_counts_the_other_policies_of_the_vin_starting_after_end_less_30_days(terms, data):
    start = np.array([np.datetime64(START + dt.timedelta(days=s), "D") for _, s, _ in terms])
    end = start + np.array([d for _, _, d in terms]).astype("timedelta64[D]")
    table = pd.DataFrame(
        {"vin": pd.array([f"V{v}" for v, _, _ in terms], dtype="str"), "start": start, "end": end},
    )
    pos = np.array(data.draw(st.lists(st.integers(0, len(terms) - 1), unique=True)), dtype=np.int64)
    want = [
        sum(
            1
            for j in range(len(terms))
            if j != i and terms[j][0] == terms[i][0] and start[j] > end[i] - np.timedelta64(EARLY_DAYS, "D")
        )
        for i in pos
    ]
    assert later_policies(table, pos).tolist() == want
