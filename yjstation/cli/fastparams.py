"""Command-line values converted without Pydantic, for a quicker start.

Typer (0.29 and later) converts every parameter of the command being run through a Pydantic
`TypeAdapter`, built at the call: importing Pydantic and building the adapters cost more than
everything else `validate` does on a warm repository. This module hands Typer a lighter converter for
the plain parameters yjstation uses (text, flags, whole and decimal numbers, enum choices, paths, and
lists of these), built from Typer's own helpers for choices and paths. It is one-sided like a cache:
for a value it can convert exactly as Typer would it returns that value, and for anything else
(a value it is unsure of, an invalid one whose error message Typer words, a parameter with a range
or a custom parser) it calls Typer's own converter, so what a command receives and every error it
prints are unchanged. tests/test_fastparams.py holds both to the same results.

`install()` does nothing when Typer's internals are not the ones this was written for.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


class Defer(Exception):
    """This value is for Typer's own converter to judge."""


def install() -> bool:
    """Route Typer's parameter conversion through `light_param`; False when Typer is not as expected."""
    try:
        import typer.core as core
        from typer._coercion import RuntimeParam, TypeDescriptor
        from typer._param_types import coerce_cli_choice, coerce_cli_path, routes_to_path
    except ImportError:
        return False
    found = getattr(core, "build_runtime_param", None)
    if found is None or getattr(found, "yjstation_light", False):
        return found is not None
    original: Callable[[Any], Any] = found

    class LightParam(RuntimeParam):  # a frozen dataclass of Typer's, filled in by hand below
        convert: Callable[[Any], Any]
        descriptor: TypeDescriptor

        def __init__(self, descriptor: TypeDescriptor, convert: Callable[[Any], Any]) -> None:
            object.__setattr__(self, "parameter_info", descriptor.parameter_info)
            object.__setattr__(self, "annotation", descriptor.annotation)
            object.__setattr__(self, "descriptor", descriptor)
            object.__setattr__(self, "convert", convert)
            object.__setattr__(self, "_typer", None)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                return self.convert(value)
            except Defer:
                typer_own = self.__dict__["_typer"]
                if typer_own is None:
                    typer_own = original(self.descriptor)
                    object.__setattr__(self, "_typer", typer_own)
                return typer_own._coerce_value(value, param=param, ctx=ctx)

    def build(descriptor: TypeDescriptor) -> Any:
        # Even a parameter kept for Typer gets a LightParam: Typer's converter is then built only if a
        # value is actually given (Typer builds one for every parameter of the command, given or not).
        convert = light_converter(descriptor, coerce_cli_choice, coerce_cli_path, routes_to_path)
        return LightParam(descriptor, convert or _typer_judges)

    build.yjstation_light = True  # type: ignore[attr-defined]
    setattr(core, "build_runtime_param", build)  # noqa: B010  (Typer does not export it)
    return True


def light_converter(
    descriptor: Any,
    coerce_cli_choice: Callable[..., Any],
    coerce_cli_path: Callable[..., Any],
    routes_to_path: Callable[[Any, Any], bool],
) -> Callable[[Any], Any] | None:
    """A converter for this parameter, or None when Typer should keep it (ranges, parsers, files...)."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or info.parser is not None or info.clamp:
        return None
    annotation = descriptor.annotation
    if get_origin(annotation) is list:
        (item,) = get_args(annotation) or (None,)
        leaf = _leaf(item, info, coerce_cli_choice, coerce_cli_path, routes_to_path)
        if leaf is None:
            return None

        def many(value: Any) -> Any:
            if not isinstance(value, (list, tuple)):
                raise Defer
            return [leaf(one) for one in value]

        return many
    return _leaf(annotation, info, coerce_cli_choice, coerce_cli_path, routes_to_path)


def _leaf(
    annotation: Any,
    info: Any,
    coerce_cli_choice: Callable[..., Any],
    coerce_cli_path: Callable[..., Any],
    routes_to_path: Callable[[Any, Any], bool],
) -> Callable[[Any], Any] | None:
    if annotation is str:
        return _text
    if annotation is bool:
        return _flag
    if annotation in (int, float):
        number = _whole if annotation is int else _decimal

        def ranged(value: Any) -> Any:
            result = number(value)
            if (info.min is not None and result < info.min) or (info.max is not None and result > info.max):
                raise Defer  # out of range: Typer says so
            return result

        return ranged
    if info.min is not None or info.max is not None:
        return None
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        choices = list(annotation)

        def choice(value: Any) -> Any:
            try:
                return coerce_cli_choice(value, choices=choices, case_sensitive=info.case_sensitive, ctx=None)
            except Exception:
                raise Defer from None  # Typer words the error

        return choice
    if isinstance(annotation, type) and issubclass(annotation, Path) and routes_to_path(annotation, info):
        path_type = info.path_type or annotation

        def path(value: Any) -> Any:
            if not isinstance(value, str) or not value or info.resolve_path or info.allow_dash:
                raise Defer
            try:
                return coerce_cli_path(path_type(value), info, path_type=path_type)
            except Exception:
                raise Defer from None

        return path
    return None


def _typer_judges(value: Any) -> Any:
    raise Defer


def _text(value: Any) -> Any:
    if type(value) is not str:
        raise Defer
    return value


def _flag(value: Any) -> Any:
    if type(value) is not bool:
        raise Defer
    return value


def _whole(value: Any) -> Any:
    if type(value) is int:
        return value
    if type(value) is not str or _INT.fullmatch(value) is None or len(value) > 18:
        raise Defer
    return int(value)


def _decimal(value: Any) -> Any:
    if type(value) is float:
        return value
    if type(value) is not str or _FLOAT.fullmatch(value) is None or len(value) > 18:
        raise Defer
    return float(value)
