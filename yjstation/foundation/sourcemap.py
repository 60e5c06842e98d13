"""Where every value of a loaded YAML file sits: data path -> 1-based (line, column)."""

from __future__ import annotations

from dataclasses import dataclass, field

DataPath = tuple[str | int, ...]
Position = tuple[int, int]


@dataclass
class SourceMap:
    """Positions of the keys (for mapping entries) and items (for sequence entries) of one file.

    `keys[("stationmaster", "id_number")]` is where the key `id_number` starts; `values[...]` is where
    its value starts. The root path `()` is the start of the document.
    """

    keys: dict[DataPath, Position] = field(default_factory=dict)
    values: dict[DataPath, Position] = field(default_factory=dict)

    def locate(self, path: DataPath) -> Position:
        """The position of `path`, or of its nearest ancestor that exists (a missing key is reported
        where its parent is), or (1, 1) when nothing is known."""
        for end in range(len(path), -1, -1):
            found = self.keys.get(path[:end])
            if found is not None:
                return found
        return (1, 1)

    def value_at(self, path: DataPath) -> Position:
        """Where the value of `path` starts, falling back to its key's position."""
        return self.values.get(path) or self.locate(path)
