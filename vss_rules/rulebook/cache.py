"""On-disk cache of compiled rulebooks, keyed by the SHA-256 of the rule files.

The cache is JSON, decoded into a fixed allow-list of rulebook classes: no
pickle, nothing executed. A missing, stale or damaged cache file is ignored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..calendar import Calendar, Holiday
from ..errors import Position
from ..lang import ir
from ..lang.types import Type
from . import book as b

FORMAT = 3  # 3: event kinds carry input checks, benefits per-row sources and report values
_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Position, Type,
        b.Text, b.Citation, b.Instrument, b.LawPeriod, b.LawVersion, b.Selection, b.LawFamily, b.KeyRange,
        b.DatedValue, b.Parameter, b.Interval, b.TableInput, b.TableRow, b.Table, b.Rule, b.Benefit, b.Fact,
        b.EventKind, b.Check, b.Interpretation, b.Rulebook, Calendar, Holiday,
        ir.Const, ir.Input, ir.Ref, ir.RowField, ir.RowRef, ir.Lookup, ir.Func, ir.Arith, ir.Cmp, ir.Logic,
        ir.Not, ir.Neg, ir.IfElse, ir.In, ir.Agg,
    )
}


def cache_dir() -> Path:
    env = os.environ.get("VSS_RULES_CACHE")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "vss-rules"


def _enc(o: Any) -> Any:
    if dataclasses.is_dataclass(o) and not isinstance(o, type):
        return {"$": type(o).__name__, **{f.name: _enc(getattr(o, f.name)) for f in dataclasses.fields(o)}}
    if isinstance(o, bool) or o is None or isinstance(o, (str, int)):
        return o
    if isinstance(o, Fraction):
        return {"$f": f"{o.numerator}/{o.denominator}"}
    if isinstance(o, dt.date):
        return {"$d": o.isoformat()}
    if isinstance(o, tuple):
        return {"$t": [_enc(x) for x in o]}
    if isinstance(o, frozenset):
        return {"$s": sorted((_enc(x) for x in o), key=repr)}
    if isinstance(o, list):
        return [_enc(x) for x in o]
    if isinstance(o, dict):
        return {"$m": [[_enc(k), _enc(v)] for k, v in o.items()]}
    raise TypeError(f"cannot cache {type(o).__name__}")


def _dec(o: Any) -> Any:
    if isinstance(o, list):
        return [_dec(x) for x in o]
    if not isinstance(o, dict):
        return o
    if "$" in o:
        cls = _CLASSES[o["$"]]  # KeyError on anything not allow-listed
        return cls(**{k: _dec(v) for k, v in o.items() if k != "$"})
    if "$f" in o:
        return Fraction(o["$f"])
    if "$d" in o:
        return dt.date.fromisoformat(o["$d"])
    if "$t" in o:
        return tuple(_dec(x) for x in o["$t"])
    if "$s" in o:
        return frozenset(_dec(x) for x in o["$s"])
    if "$m" in o:
        return {_dec(k): _dec(v) for k, v in o["$m"]}
    raise ValueError("unknown cache entry")


def _path(digest: str) -> Path:
    return cache_dir() / f"rulebook-{FORMAT}-{digest}.json"


def read_cache(digest: str) -> b.Rulebook | None:
    try:
        data = json.loads(_path(digest).read_text(encoding="utf-8"))
        book = _dec(data)
        return book if isinstance(book, b.Rulebook) and book.digest == digest else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_cache(book: b.Rulebook) -> None:
    try:
        directory = cache_dir()
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(_enc(book), fh, separators=(",", ":"))
        os.replace(tmp, _path(book.digest))
    except OSError:
        pass  # a read-only home is fine: we just load from source next time
