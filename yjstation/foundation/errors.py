"""The only exceptions that cross module boundaries: conditions under which a command cannot run at all.
Everything wrong with the data itself is a Diagnostic, not an exception."""

from __future__ import annotations


class CannotRun(Exception):
    """The command cannot run (exit status 2): no repository, unreadable configuration, bad usage."""


class RootNotFound(CannotRun):
    pass


class ConfigError(CannotRun):
    pass
