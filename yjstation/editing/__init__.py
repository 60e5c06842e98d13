"""Writing data files: `fmt`'s canonical form (`formatting`, and `canonical`, which recognises it without
the round trip), field edits and new stations (`edits`, and `inplace`, which sets a value without the
round trip where the result is certain), a month's draft records (`drafts`), the monthly cycle's and the
station history's edits (`cycle`: logs, training, replacing a stationmaster, closing a station), the
gate every write passes (`checked_write`: validate through the cache first, then write all files or
none) and a new county's repository (`skeleton`).

May import: `yjstation.foundation`, `yjstation.loading`, `yjstation.domain` and `yjstation.checking`.
"""
