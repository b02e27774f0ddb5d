"""Typed errors. Every error the library raises derives from :class:`VssError`.

Each error carries a stable ``code`` (for services to branch on) and a
``where`` (a case field path such as ``contributions[2].end`` or a rule-file
position ``rules/<regime>/<file>.yaml:12:9``) so that nobody has to read a
traceback to know what went wrong.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Position:
    """A place in a rule file; lines and columns count from 1."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col}"
        return self.file


class VssError(Exception):
    """Base of every error raised by vss_rules."""

    code: str = "VSS_ERROR"

    def __init__(self, message: str, *, where: str | Position | None = None, code: str | None = None):
        self.message = message
        self.where = str(where) if where is not None else None
        if code is not None:
            self.code = code
        super().__init__(self.__str__())

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return f"{prefix}{self.message} [{self.code}]"

    def to_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "where": self.where, "message": self.message}


class CaseError(VssError):
    """The case is malformed or incomplete; ``where`` names the field."""

    code = "CASE_INVALID"


class CaseErrors(CaseError):
    """Several field errors found together (pydantic validation)."""

    code = "CASE_INVALID"

    def __init__(self, errors: list[CaseError]):
        self.errors = errors
        text = "; ".join(f"{e.where}: {e.message}" if e.where else e.message for e in errors)
        super().__init__(f"{len(errors)} problem(s) in the case: {text}", where=errors[0].where if len(errors) == 1 else "case")


class NotEncodedError(CaseError):
    """The case is valid, but the law that decides it is not encoded (yet)."""

    code = "NOT_ENCODED"


class RuleFileError(VssError):
    """A rule or parameter file is malformed; ``where`` is ``file:line:col``."""

    code = "RULE_INVALID"


class RuleFileErrors(RuleFileError):
    """All problems found while loading the rule files, reported together."""

    def __init__(self, errors: list[RuleFileError]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in the rule files:\n" + "\n".join(str(e) for e in errors))

    def __str__(self) -> str:
        return self.message


class EvaluationError(VssError):
    """A rule could not be evaluated for this case (e.g. a parameter has no value at a date)."""

    code = "EVALUATION_FAILED"


class ScenarioError(VssError):
    """A scenario file is malformed."""

    code = "SCENARIO_INVALID"
