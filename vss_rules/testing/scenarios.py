"""YAML scenarios: a case, what is expected of its Decision, and the article it exercises.

A scenario file holds a list under ``scenarios``::

    scenarios:
      - id: TT59-VD24                      # stable id; official examples use their circular's numbering
        title: …
        source: Circular 59/2015/TT-BLĐTBXH Art. 17(1), Ví dụ 24
        articles: ["58/2014/QH13 Art. 56(1)"]  # the articles the scenario exercises
        case: {person: …, contributions: […], event: …}
        expect:
          law: 58/2014/QH13                 # version (or a period id such as 58/2014/QH13@2016)
          benefits:
            <benefit id>: {eligible: true, amount_vnd: 3436400, start_date: 2016-06-01}
            <per-relative benefit id>[<relative index>]: {eligible: false, reasons: {<condition id>: false}}
          values: {<rule id>: 0.71}          # any named intermediate value
          reasons: {<condition id>: false}   # outcome of conditions among the benefits' reasons
          remedies: {<rule id>: 24}          # what would change a refusal
          # or, when the case must be refused with an error:
          error: {code: CASE_INVALID, where: contributions[0].end}

Numbers compare exactly when both are whole, else to 1e-9; dates as ISO text.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ScenarioError, VssError
from ..rulebook.book import Rulebook
from ..rulebook.yamlsafe import YList, YMap, load_yaml, position_of

SCENARIO_KEYS = {"id", "title", "source", "articles", "notes", "case", "expect"}
EXPECT_KEYS = {"law", "benefits", "values", "reasons", "remedies", "error"}
BENEFIT_KEYS = {"eligible", "amount_vnd", "unit", "quantity", "start_date", "reasons"}


def benefit_key(b: Any) -> str:
    """How a scenario names a decided benefit: its id, with ``[i]`` when it is decided per relative."""
    return b.id if b.relative_index is None else f"{b.id}[{b.relative_index}]"


@dataclass
class Scenario:
    id: str
    title: str
    case: dict[str, Any]
    expect: dict[str, Any]
    articles: list[str] = field(default_factory=list)
    source: str | None = None
    notes: str | None = None
    where: str = ""


@dataclass
class Mismatch:
    path: str
    expected: Any
    actual: Any

    def __str__(self) -> str:
        return f"{self.path}: expected {self.expected!r}, got {self.actual!r}"


@dataclass
class Outcome:
    scenario: Scenario
    mismatches: list[Mismatch]

    @property
    def passed(self) -> bool:
        return not self.mismatches


def _plain(x: Any) -> Any:
    """YAML containers with positions → plain dicts/lists; dates → ISO text."""
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_plain(v) for v in x]
    if isinstance(x, dt.date):
        return x.isoformat()
    if isinstance(x, str):
        return str(x)
    return x


def load_scenarios(path: str | Path) -> list[Scenario]:
    """Read one scenario file. Raises :class:`ScenarioError` naming ``file:line:col``."""
    p = Path(path)
    try:
        doc = load_yaml(p.read_text(encoding="utf-8"), str(p))
    except VssError as e:
        raise ScenarioError(e.message, where=e.where, code="SCENARIO_YAML") from None
    if not isinstance(doc, YMap) or not isinstance(doc.get("scenarios"), YList):
        raise ScenarioError("a scenario file has a top-level 'scenarios' list", where=str(p), code="SCENARIO_SHAPE")
    out: list[Scenario] = []
    seen: set[str] = set()
    for i, item in enumerate(doc["scenarios"]):
        where = str(doc["scenarios"].at(i))
        if not isinstance(item, YMap):
            raise ScenarioError("each scenario is a mapping", where=where, code="SCENARIO_SHAPE")
        unknown = set(item) - SCENARIO_KEYS
        if unknown:
            raise ScenarioError(f"unknown key {sorted(unknown)[0]!r} (allowed: {', '.join(sorted(SCENARIO_KEYS))})",
                                where=str(item.at(sorted(unknown)[0])), code="SCENARIO_SHAPE")
        for key in ("id", "case", "expect"):
            if key not in item:
                raise ScenarioError(f"scenario needs '{key}'", where=where, code="SCENARIO_SHAPE")
        sid = str(item["id"])
        if sid in seen:
            raise ScenarioError(f"duplicate scenario id {sid!r}", where=where, code="SCENARIO_SHAPE")
        seen.add(sid)
        expect = item["expect"]
        if not isinstance(expect, YMap) or set(expect) - EXPECT_KEYS:
            bad = sorted(set(expect) - EXPECT_KEYS)[0] if isinstance(expect, YMap) else "expect"
            raise ScenarioError(f"unknown expectation {bad!r} (allowed: {', '.join(sorted(EXPECT_KEYS))})",
                                where=str(position_of(expect, doc.pos)), code="SCENARIO_SHAPE")
        for bid, bexp in (expect.get("benefits") or {}).items():
            if not isinstance(bexp, dict) or set(bexp) - BENEFIT_KEYS:
                raise ScenarioError(f"benefit {bid}: expect only {', '.join(sorted(BENEFIT_KEYS))}",
                                    where=str(expect["benefits"].at(bid)), code="SCENARIO_SHAPE")
        articles = item.get("articles") or []
        out.append(Scenario(
            id=sid, title=str(item.get("title", sid)), case=_plain(item["case"]), expect=_plain(expect),
            articles=[str(a) for a in articles], source=item.get("source"), notes=item.get("notes"), where=where,
        ))
    return out


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual or expected == actual and type(expected) is type(actual)
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        if isinstance(expected, int) and isinstance(actual, int):
            return expected == actual
        return math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-9)
    return expected == actual


def compare(scenario: Scenario, decision: Any | None, error: VssError | None) -> list[Mismatch]:
    exp = scenario.expect
    out: list[Mismatch] = []
    if "error" in exp:
        want = exp["error"] or {}
        if error is None:
            return [Mismatch("error", want, "a decision")]
        for key in ("code", "where"):
            if key in want and getattr(error, key) != want[key]:
                out.append(Mismatch(f"error.{key}", want[key], getattr(error, key)))
        return out
    if error is not None:
        return [Mismatch("decision", "a decision", f"{type(error).__name__}: {error}")]
    if "law" in exp:
        actual = decision.law.period if "@" in str(exp["law"]) else decision.law.version
        if actual != exp["law"]:
            out.append(Mismatch("law", exp["law"], actual))
    found = {benefit_key(b): b for b in decision.benefits}
    for bid, bexp in (exp.get("benefits") or {}).items():
        b = found.get(bid)
        if b is None:
            out.append(Mismatch(f"benefits.{bid}", "present", f"absent (decided: {', '.join(found) or 'none'})"))
            continue
        dumped = b.model_dump(mode="json")
        own = {r.code: r.outcome for r in b.reasons}
        for code, want in (bexp.get("reasons") or {}).items():
            if code not in own:
                out.append(Mismatch(f"benefits.{bid}.reasons.{code}", want, "not among the reasons"))
            elif own[code] != want:
                out.append(Mismatch(f"benefits.{bid}.reasons.{code}", want, own[code]))
        for key, want in bexp.items():
            if key == "reasons":
                continue
            if not _same(want, dumped.get(key)):
                out.append(Mismatch(f"benefits.{bid}.{key}", want, dumped.get(key)))
    for key, want in (exp.get("values") or {}).items():
        if key not in decision.values:
            out.append(Mismatch(f"values.{key}", want, "not computed for this case"))
        elif not _same(want, decision.values[key]):
            out.append(Mismatch(f"values.{key}", want, decision.values[key]))
    outcomes = {r.code: r.outcome for b in decision.benefits for r in b.reasons}
    for key, want in (exp.get("reasons") or {}).items():
        if key not in outcomes:
            out.append(Mismatch(f"reasons.{key}", want, "not among the reasons"))
        elif outcomes[key] != want:
            out.append(Mismatch(f"reasons.{key}", want, outcomes[key]))
    remedies = {r.id: r.value for b in decision.benefits for r in b.what_would_change}
    for key, want in (exp.get("remedies") or {}).items():
        if key not in remedies:
            out.append(Mismatch(f"remedies.{key}", want, "not among what would change the outcome"))
        elif not _same(want, remedies[key]):
            out.append(Mismatch(f"remedies.{key}", want, remedies[key]))
    return out


def run_scenario(scenario: Scenario, rulebook: Rulebook | None = None) -> Outcome:
    from .. import evaluate

    decision = error = None
    try:
        decision = evaluate(scenario.case, rulebook=rulebook)
    except VssError as e:
        error = e
    return Outcome(scenario, compare(scenario, decision, error))


def scenario_files(paths: list[str | Path]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(p.rglob("*.yaml")))
        elif p.exists():
            files.append(p)
        else:
            raise ScenarioError("no such file or directory", where=str(p), code="SCENARIO_PATH")
    return files


def scenario_yaml(case: dict[str, Any], *, id: str, title: str = "", decision: Any | None = None) -> str:
    """A scenario file for ``case``; with ``decision``, its benefits become the expectation (a regression pin)."""
    expect: dict[str, Any] = {}
    if decision is not None:
        expect["law"] = decision.law.version
        expect["benefits"] = {
            benefit_key(b): {k: v for k, v in b.model_dump(mode="json").items() if k in BENEFIT_KEYS - {"reasons"} and v is not None}
            for b in decision.benefits
        }
    doc = {"scenarios": [{"id": id, "title": title or id, "case": case, "expect": expect}]}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
