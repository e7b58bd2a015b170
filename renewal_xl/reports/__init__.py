"""Report builders: workflow results → :class:`renewal_xl.reports.spec.Report` with the sheet
names and Chinese headers of the contract (excel-contract §2). Library-independent: the
openpyxl writer and the xlwings layer render the same reports."""
