"""Shared fixtures. Rule files under test are written to a temporary directory per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RULES = REPO / "rules"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Every test uses its own compile cache, so none depends on another's."""
    monkeypatch.setenv("VSS_RULES_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A writable copy of the real rule files."""
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target
