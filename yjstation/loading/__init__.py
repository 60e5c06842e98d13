"""Loading: from bytes on disk to plain data with positions, checked against the JSON Schemas.

The YAML loader (`loader`), the schemas and their fast yes/no gate (`schemas`, `schemagate`, with
jsonschema's type and date checks in `jsontypes`), the
round-trip YAML used by the editors (`roundtrip`), and the shape of a data repository: its root, which
file is which kind, the list of data files (`repository`).

May import: `yjstation.foundation`.
"""
