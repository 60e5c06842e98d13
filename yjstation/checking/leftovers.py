"""Temporary files an interrupted edit left under data/: a copy of a data file, full ID numbers included,
one `git add -A` away from a commit. `validate` reports each (FILE003)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from yjstation.foundation.atomic import is_temporary
from yjstation.foundation.diagnostics import Code, Diagnostic, Severity
from yjstation.foundation.i18n import tr

LEFTOVER = Code(
    "FILE003",
    Severity.ERROR,
    "编辑中断留下的临时文件",
    "个人信息保护：身份证号码、手机号不外泄",
    "确认数据文件本身完好（yjstation validate）后删除这个临时文件；它已被 .gitignore 忽略时也应删除",
)


def leftovers(root: Path) -> Iterator[Diagnostic]:
    """A finding for each temporary file an interrupted edit left under data/ (a copy of a data file,
    full ID numbers included, one `git add -A` away from a commit)."""
    top = os.path.join(root, "data")
    for folder, dirnames, filenames in os.walk(top):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if is_temporary(name):
                rel = "data" + folder[len(top) :].replace(os.sep, "/") + "/" + name
                yield LEFTOVER.at(
                    rel,
                    0,
                    0,
                    "",
                    tr(
                        "编辑被中断时留下的临时文件，可能含完整的身份证号码和手机号",
                        "a temporary file left by an interrupted edit; it may hold full ID and phone numbers",
                    ),
                )
