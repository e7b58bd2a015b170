"""Reading a register into Spark: a Parquet file or folder, or a UTF-8 CSV file.

Headers are renamed to the register's keys by :func:`renewal_xl.columns.canonical` and
checked by :func:`renewal_xl.io.register.tidy` on the driver (same Chinese message for a
missing or doubled column as the pandas engine), before any task runs. CSV cells are read
as text (empty fields are blanks, ``""`` escapes a quote); a quoted field may not span
lines (Spark splits CSV files by line). Column ``__row`` numbers the rows in file order
(increasing, not consecutive): it stands for the sheet row where order matters ("the first
row of a policy number wins").
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from renewal_xl.app.parquet_price import register_keys
from renewal_xl.columns import REGISTER
from renewal_xl.errors import SourceError
from renewal_xl.io.parquet import is_parquet
from renewal_xl.io.register import tidy

ROW = "__row"
BOM = "\ufeff"


def origin_of(path: str | Path) -> str:
    return f"文件 {Path(str(path)).name}"


def read_register(spark, path: str | Path, required, *, whole: bool = True):
    """The register at ``path`` as a Spark DataFrame with canonical keys. ``whole``: only
    the columns of :data:`~renewal_xl.columns.REGISTER`, each present (null when the file
    lacks it, as :func:`~renewal_xl.io.register.tidy` adds it), and :data:`ROW`; else the
    file's columns as they are (``price`` passes them through)."""
    from pyspark.sql import functions as F

    text = str(path)
    local = "://" not in text
    if local and not Path(text).exists():
        raise SourceError(f"文件 {text}", "path", text, "文件不存在")
    if is_parquet(Path(text)) or text.lower().endswith(".parquet"):
        frame = spark.read.parquet(text)
    elif text.lower().endswith(".csv"):
        frame = spark.read.csv(text, header=True, inferSchema=False, encoding="UTF-8", quote='"', escape='"')
    else:
        raise SourceError(origin_of(text), "path", text, "--engine spark 只读取 .parquet 文件、文件夹或 .csv 台账")
    keys = register_keys(c.lstrip(BOM) for c in frame.columns)
    tidy(pd.DataFrame(columns=keys), REGISTER, required, origin_of(text))  # raises on missing/doubled columns
    frame = frame.toDF(*keys)
    if not whole:
        return frame
    frame = frame.select(*[k for k in keys if k in REGISTER])
    for key in REGISTER:
        if key not in keys:
            frame = frame.withColumn(key, F.lit(None).cast("string"))
    return frame.withColumn(ROW, F.monotonically_increasing_id())


def route(column: str):
    """A Spark expression equal for all cells that the register rules read as the same
    text (blanks around, case): used only to send them to the same partition."""
    from pyspark.sql import functions as F

    return F.upper(F.regexp_replace(F.col(column).cast("string"), r"(?U)[\s\x1c-\x1f]", ""))
