"""The code passes the linter, the formatter's check and the type checker, with the settings
of pyproject.toml (so CI, which runs the tests, runs them too)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    """A tool of the test environment run from the project root, as ``python -m ...``."""
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_passes():
    result = run("ruff", "check")
    assert result.returncode == 0, f"ruff check found problems:\n{result.stdout}\n{result.stderr}"


def test_ruff_format_check_passes():
    result = run("ruff", "format", "--check")
    assert result.returncode == 0, (
        f"ruff format would change files (run `ruff format`):\n{result.stdout}\n{result.stderr}"
    )


def test_mypy_passes():
    result = run("mypy", "generator")
    assert result.returncode == 0, f"mypy found errors:\n{result.stdout}\n{result.stderr}"
