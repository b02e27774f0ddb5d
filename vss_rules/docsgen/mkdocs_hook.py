"""mkdocs hook (``hooks:`` in mkdocs.yml): before each build, generate the pages under ``docs/law/``
from the rule files of the checkout (or ``$VSS_RULES_DIR``) and put them in the navigation.

The pages are build artefacts (git ignores ``docs/law/``); a page is rewritten only when its text
changes, so ``mkdocs serve`` does not rebuild forever. A rule file that fails to load fails the build.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from vss_rules.docsgen import Generated, Sources, generate, write
from vss_rules.rulebook import load_rulebook

log = logging.getLogger("mkdocs.plugins.vss_rules")
_MARKER = "law/index.md"  # the nav section holding this page receives every generated page
_cache: dict[str, Generated] = {}


def _generated(root: Path) -> Generated:
    book = load_rulebook(os.environ.get("VSS_RULES_DIR") or root / "rules")
    if book.digest not in _cache:  # each language build calls on_config; generate once per rule set
        _cache.clear()
        _cache[book.digest] = generate(book, Sources.checkout(root))
    return _cache[book.digest]


def _fill_nav(nav: Any, pages: list[str]) -> bool:
    if isinstance(nav, list):
        if _MARKER in nav:
            nav[:] = list(pages)
            return True
        return any(_fill_nav(item, pages) for item in nav)
    if isinstance(nav, dict):
        return any(_fill_nav(v, pages) for v in nav.values())
    return False


def on_config(config: Any) -> Any:
    root = Path(config.config_file_path).resolve().parent
    gen = _generated(root)
    written = write(gen, Path(config.docs_dir) / "law")
    if written:
        log.info("vss-rules: wrote %d generated page(s)", len(written))
    if config.nav is not None and not _fill_nav(config.nav, gen.nav):
        log.warning("vss-rules: no nav section lists %s; generated pages are not in the navigation", _MARKER)
    return config
