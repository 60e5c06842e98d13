"""The light command-line converter gives every parameter of every command exactly what Typer's own
would: the same value for a good one, the same error for a bad one; and the usual commands then start
without importing Pydantic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from tests.conftest import AS_OF
from yjstation.cli.app import build_app
from yjstation.cli.fastparams import install

SAMPLES: dict[str, list[Any]] = {
    "str": ["x", "中文", "", "pingyuan-town", " spaced "],
    "int": ["1", "0", "2", "-3", "abc", "1.5", "+5", "007", " 5", "1_000", "9" * 30, "", "１"],
    "float": ["25", "25.5", "1e3", ".5", "5.", "abc", "inf", "nan", "25平方", "-1", " 2", "1_0", ""],
    "bool": [True, False],
    "path": ["data", "no/such/folder", "data/county.yaml", "", ".", "/", "中文"],
    "enum": ["text", "json", "md", "docx", "csv", "xlsx", "TEXT", "bogus", ""],
}


def _kind(annotation: Any) -> str:
    from enum import Enum
    from typing import get_args, get_origin

    if get_origin(annotation) is list:
        return _kind(get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "enum"
    if isinstance(annotation, type) and issubclass(annotation, Path):
        return "path"
    return getattr(annotation, "__name__", "other")


COMMAND = typer.main.get_command(build_app())


def _parameters() -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []

    def walk(command: Any, prefix: str) -> None:
        for param in command.params:
            out.append((f"{prefix} {param.name}".strip(), param))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{prefix} {name}")

    walk(COMMAND, "")
    return out


def _outcome(runtime: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        result = runtime._coerce_value(value, param=param, ctx=ctx)
    except typer.BadParameter as exc:
        return "error", exc.format_message()
    return type(result).__name__, repr(result)  # (repr: nan is not equal to itself)


@pytest.mark.parametrize(("name", "param"), _parameters(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_parameter_converts_as_typer_would(
    name: str, param: Any, bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import typer.core as core
    from typer._coercion import build_runtime_param as typer_own

    monkeypatch.setattr(core, "build_runtime_param", typer_own)
    assert install()
    light = core.build_runtime_param(param.type_descriptor)  # type: ignore[attr-defined]
    own = typer_own(param.type_descriptor)
    ctx = typer.Context(COMMAND)
    kind = _kind(param.type_descriptor.annotation)
    values = SAMPLES.get(kind, ["x"])
    monkeypatch.chdir(bundle)  # where the path samples (data, data/county.yaml) exist
    is_list = "list" in str(param.type_descriptor.annotation)
    for value in [values] if is_list else values:
        assert _outcome(light, value, param, ctx) == _outcome(own, value, param, ctx), (name, value)


def test_validate_and_station_set_start_without_pydantic(bundle: Path, tmp_path: Path) -> None:
    probe = (
        "import sys\nfrom yjstation.cli.app import main\n"
        f"main(['--root', {str(bundle)!r}, 'validate', '--as-of', {AS_OF!r}, '--format', 'json', '--no-cache', "
        "'--jobs', '1', 'data/county.yaml'])\n"
        f"main(['--root', {str(bundle)!r}, 'station', 'set', 'no-such-station', 'x=1'])\n"
        "print('pydantic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert out.stdout.split()[-1] == "False", out.stderr
