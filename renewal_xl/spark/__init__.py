"""The Spark engine (``--engine spark``): the same workflow and pricing functions run per
partition by PySpark, for registers of tens of millions of rows. Only this package imports
pyspark; it sits above :mod:`renewal_xl.app` (a shell, like the command line)."""
