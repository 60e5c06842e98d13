"""The station roster (站点花名册): one spreadsheet row per station, exported for the people who keep
lists in Excel and read back so their edits reach the station files through the checked, comment-keeping
edit path. `columns` is the shared table, `export` writes it, `importer` reads it and plans the edits.
The month's entry sheet (月报录入表) follows the same pattern (`month_sheet` out, `month_import` back in),
and `stale` tells an edit made in a sheet from a sheet older than the data, for both imports.

May import: every library layer below it (`foundation`, `loading`, `domain`, `checking`, `editing`,
`documents`, `reports`).
"""
