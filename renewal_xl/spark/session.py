"""The Spark session of ``--engine spark``: embedded local mode, a cluster, or Spark Connect.

- default: a local session (``local[*]``) started by the command in this process;
- ``--spark-master URL`` (``spark://…``, ``yarn``, ``local[4]``): that master;
- environment variable ``SPARK_REMOTE`` (``sc://host:15002``): Spark Connect, no local Java.

Local mode and a master need a Java runtime (``java`` on PATH or ``JAVA_HOME``); without one,
or without pyspark, :class:`~renewal_xl.errors.EngineError` says so in one Chinese line
(the command line exits :data:`~renewal_xl.errors.ENGINE_EXIT`), never a Java stack trace.
The Python workers run this interpreter (``PYSPARK_PYTHON``), so they import the same
renewal_xl. A session already active in the process (the tests' fixture) is reused.
"""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from pathlib import Path

from renewal_xl.app.parquet_price import BATCH_ROWS  # Arrow batches handed to the pricing functions
from renewal_xl.errors import EngineError

LOCAL = "local[*]"
REMOTE_ENV = "SPARK_REMOTE"
LOG_CONFIG = Path(__file__).with_name("log4j2.properties")  # Spark's own log: errors only
SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.execution.arrow.maxRecordsPerBatch": str(BATCH_ROWS),
    # tasks of 16 MB of Parquet (about 350,000 register rows): a 10^6-row file is split so
    # that every core works (the default 128 MB made it one task on one core)
    "spark.sql.files.maxPartitionBytes": "16m",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{LOG_CONFIG}",
}


def java_available() -> bool:
    """A Java runtime Spark can start: ``JAVA_HOME/bin/java`` or ``java`` on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return True
    return shutil.which("java") is not None


def spark_session(master: str | None = None, settings: dict[str, str] | None = None):
    """The active SparkSession, else a new one (module docstring); ``settings`` are added
    Spark settings (e.g. ``spark.sql.shuffle.partitions``)."""
    # pyspark 4.3 warns that it "does not yet fully support pandas >= 3": the engine hands it
    # only Arrow batches (mapInArrow), never pandas frames, so the warning does not apply
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise EngineError("未安装 pyspark: 请安装 pip install 'renewal-xl[spark]'") from exc
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    remote = os.environ.get(REMOTE_ENV)
    if remote and master is None:
        builder = SparkSession.builder.remote(remote)
    else:
        if not java_available():
            raise EngineError(
                "未找到 Java 运行环境: --engine spark 需要 Java 17 或以上 "
                "(Debian: apt-get install default-jre-headless), 或设置 SPARK_REMOTE 使用 Spark Connect"
            )
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        builder = SparkSession.builder.master(master or LOCAL).appName("renewal-xl")
        for key, value in SETTINGS.items():
            builder = builder.config(key, value)
    for key, value in (settings or {}).items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # py4j / connect errors: one line, not the JVM's trace
        raise EngineError(f"Spark 无法启动 ({first_line(exc)})") from exc
    if not remote:
        session.sparkContext.setLogLevel("ERROR")
    return session


def first_line(exc: BaseException) -> str:
    """The last non-blank line of an error's text that says what went wrong (Python
    worker errors end with ``SomeError: message``), shortened to 300 characters."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    named = [line for line in lines if "Error: " in line or "Exception: " in line]
    return (named[-1] if named else lines[0])[:300]
