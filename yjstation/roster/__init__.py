"""The station roster (站点花名册): one spreadsheet row per station, exported for the people who keep
lists in Excel and read back so their edits reach the station files through the checked, comment-keeping
edit path. `columns` is the shared table, `export` writes it, `importer` reads it and plans the edits.

May import: every library layer below it (`foundation`, `loading`, `domain`, `checking`, `editing`,
`documents`, `reports`).
"""
