"""The worksheet-function contract (excel-contract §1) shared by every spreadsheet front end:
Excel through xlwings (``udfs``) and LibreOffice Calc (``renewal_xl.calc``)."""

# the Python package users' workbooks name in xlwings' ``UDF Modules`` setting (excel-contract §1)
UDF_MODULES = "udfs"
