"""Writing data files: `fmt`'s canonical form (`formatting`), field edits and new stations (`edits`),
the gate every write passes (`checked_write`: validate first, then write atomically) and a new county's
repository (`skeleton`).

May import: `yjstation.foundation`, `yjstation.loading`, `yjstation.domain` and `yjstation.checking`.
"""
