"""Find, load and check the rule files; cache the result by content hash."""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

from ..errors import RuleFileError
from .book import Rulebook
from .cache import read_cache, write_cache
from .loader import load_uncached, rule_files

__all__ = ["Rulebook", "default_rules_dir", "load_rulebook", "rules_digest"]

_lock = threading.Lock()
_loaded: dict[tuple[str, str], Rulebook] = {}


def default_rules_dir() -> Path:
    """``$VSS_RULES_DIR``, else the rules shipped in the wheel, else ``rules/`` of a source checkout."""
    env = os.environ.get("VSS_RULES_DIR")
    if env:
        return Path(env)
    shipped = Path(str(files("vss_rules"))) / "rules"
    if (shipped / "laws.yaml").is_file():
        return shipped
    return Path(__file__).resolve().parents[2] / "rules"


def rules_digest(root: Path) -> str:
    h = hashlib.sha256()
    grammar = files("vss_rules.lang").joinpath("grammar.lark").read_bytes()
    h.update(grammar)
    for path in rule_files(root):
        h.update(str(path.relative_to(root)).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def load_rulebook(root: str | Path | None = None, *, use_cache: bool = True) -> Rulebook:
    """Load every rule file under ``root`` (default: :func:`default_rules_dir`).

    Raises :class:`vss_rules.RuleFileErrors` listing every problem as ``file:line:col``.
    """
    path = Path(root) if root is not None else default_rules_dir()
    if not (path / "laws.yaml").is_file():
        raise RuleFileError(f"no laws.yaml in {path}: not a rules directory", where=str(path), code="NO_LAWS")
    digest = rules_digest(path)
    key = (str(path.resolve()), digest)
    with _lock:
        found = _loaded.get(key)
        if found is not None:
            return found
        book = read_cache(digest) if use_cache else None
        if book is None:
            book = replace(load_uncached(path), digest=digest)
            if use_cache:
                write_cache(book)
        _loaded[key] = book
        return book
