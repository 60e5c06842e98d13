"""`python -m yjstation`: the same command as the `yjstation` script."""

from yjstation.cli.app import run

run()
