"""vss-rules: Vietnam's social-insurance benefit rules as code.

>>> import vss_rules
>>> decision = vss_rules.evaluate(case)          # case: dict | Case
>>> decision.model_dump(mode="json")
>>> vss_rules.case_schema()                       # JSON Schema of Case, generated from the rules
"""

from __future__ import annotations

from typing import Any

from .errors import (
    CaseError,
    CaseErrors,
    EvaluationError,
    NotEncodedError,
    RuleFileError,
    RuleFileErrors,
    ScenarioError,
    VssError,
)
from .model import Case, Decision
from .rulebook import Rulebook, load_rulebook

__version__ = "0.1.0"

__all__ = [
    "Case",
    "CaseError",
    "CaseErrors",
    "Decision",
    "EvaluationError",
    "NotEncodedError",
    "RuleFileError",
    "RuleFileErrors",
    "Rulebook",
    "ScenarioError",
    "VssError",
    "case_schema",
    "evaluate",
    "load_rulebook",
]


def evaluate(case: dict[str, Any] | Case, *, trace: bool = False, rulebook: Rulebook | None = None) -> Decision:
    """Decide one case. Pure and thread-safe.

    ``case`` is a mapping (e.g. parsed JSON) or a :class:`Case`. Raises
    :class:`CaseError` (naming the field) for bad input, :class:`NotEncodedError`
    when the deciding law is not encoded, :class:`EvaluationError` when a rule
    cannot be applied (e.g. a parameter has no value at the date).
    """
    from .decide import evaluate_with

    return evaluate_with(rulebook or load_rulebook(), case, trace=trace)


def case_schema(rulebook: Rulebook | None = None) -> dict[str, Any]:
    """JSON Schema of a Case, with each event kind's facts as declared in the rule files."""
    from .intake import case_model

    return case_model(rulebook or load_rulebook()).model_json_schema()
