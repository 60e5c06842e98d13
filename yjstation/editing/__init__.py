"""Writing data files: `fmt`'s canonical form (`formatting`), field edits and new stations (`edits`), a
month's draft records (`drafts`), the monthly cycle's and the station history's edits (`cycle`: logs,
training, replacing a stationmaster, closing a station), the gate every write passes (`checked_write`:
validate first, then write atomically) and a new county's repository (`skeleton`).

May import: `yjstation.foundation`, `yjstation.loading`, `yjstation.domain` and `yjstation.checking`.
"""
