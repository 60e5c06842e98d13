from __future__ import annotations

from yjstation.cli.app import main

main()
