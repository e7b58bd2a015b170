"""The renewal workflow (renewal-workflow §2–§5) on DataFrames: due list, monthly review,
data quality and statements. Each step takes the canonical register (and tracking) and
returns DataFrames; :mod:`renewal_xl.reports` turns them into sheets."""
