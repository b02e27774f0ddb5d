"""The public contract: :class:`Case` in, :class:`Decision` out (pydantic v2).

The Python side knows people, contribution periods, dates, months and money;
what facts each kind of event needs is declared in the rule files and checked
against them (see :func:`vss_rules.case_schema`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from . import months
from .lang.types import BOOL, DATE, INT, MONEY, MONTH, NUMBER, Type, enum

SCHEMA_VERSION = "1.0"

Sex = Literal["male", "female"]
Scheme = Literal["compulsory", "voluntary"]
WageSetting = Literal["employer", "state"]
WorkCondition = Literal["normal", "heavy", "especially_heavy", "underground_coal_mining"]
Region = Literal["I", "II", "III", "IV"]

_STRICT = ConfigDict(extra="forbid", frozen=True)


class Person(BaseModel):
    """The insured person."""

    model_config = _STRICT
    sex: Sex
    birth_date: str = Field(
        description="YYYY-MM-DD, or YYYY-MM / YYYY when the record shows only the month or the year",
        examples=["1968-05-10", "1968-05", "1968"],
    )

    @field_validator("birth_date", mode="before")
    @classmethod
    def _partial(cls, v: Any) -> str:
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, int):
            v = str(v)
        if not isinstance(v, str):
            raise ValueError("write the birth date as YYYY-MM-DD, YYYY-MM or YYYY")
        months.parse_partial_date(v)
        return v.strip()

    @property
    def birth(self) -> tuple[dt.date, str]:
        return months.parse_partial_date(self.birth_date)


MonthText = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2016-01"])]
Coefficient = Annotated[Decimal, Field(ge=0, le=100)]
Percent = Annotated[Decimal, Field(ge=0, le=100)]


class ContributionPeriod(BaseModel):
    """Months of contribution, both ends inclusive, with the same terms throughout."""

    model_config = _STRICT
    start: MonthText
    end: MonthText
    scheme: Scheme = "compulsory"
    wage_setting: WageSetting = Field("employer", description="employer-set wages, or the state salary scale")
    monthly_salary_vnd: Annotated[int, Field(ge=0, le=10_000_000_000)] | None = Field(
        None, description="contribution salary (employer-set) or declared income (voluntary), VND per month"
    )
    salary_coefficient: Coefficient | None = Field(None, description="state salary-scale coefficient (hệ số lương)")
    allowance_coefficient: Coefficient = Field(Decimal(0), description="position and other allowance coefficients (phụ cấp chức vụ…)")
    seniority_allowance_percent: Percent = Field(Decimal(0), description="professional seniority allowance, % (phụ cấp thâm niên nghề)")
    over_frame_seniority_percent: Percent = Field(Decimal(0), description="over-frame seniority allowance, % (phụ cấp thâm niên vượt khung)")
    work_condition: WorkCondition = "normal"
    special_difficulty_area: bool = Field(False, description="work in an area of special socio-economic difficulty")
    area_allowance_coefficient: Coefficient = Field(Decimal(0), description="regional allowance coefficient (phụ cấp khu vực)")
    region: Region | None = Field(None, description="minimum-wage region of the workplace")
    monthly_state_support_vnd: Annotated[int, Field(ge=0, le=10_000_000_000)] = Field(
        0, description="state support toward a voluntary contribution, VND per month of the period (0 when none)"
    )

    @model_validator(mode="after")
    def _consistent(self) -> ContributionPeriod:
        if months.parse_month(self.end) < months.parse_month(self.start):
            raise ValueError(f"end {self.end} is before start {self.start}")
        if self.scheme == "voluntary" and self.wage_setting == "state":
            raise ValueError("a voluntary period has a declared income (monthly_salary_vnd), not a state salary scale")
        if self.scheme != "voluntary" and self.monthly_state_support_vnd:
            raise ValueError("monthly_state_support_vnd applies to voluntary periods only")
        if self.scheme == "compulsory" and self.wage_setting == "state" and self.salary_coefficient is None:
            raise ValueError("a state salary-scale period needs salary_coefficient")
        if self.wage_setting == "employer" and self.monthly_salary_vnd is None:
            raise ValueError("an employer-set or voluntary period needs monthly_salary_vnd")
        return self


class Event(BaseModel):
    """What happened: its kind (declared in the rule files), its date and its facts."""

    model_config = _STRICT
    kind: str
    date: dt.date
    facts: dict[str, Any] = Field(default_factory=dict)


class Relative(BaseModel):
    """A relative of the insured person (``relatives`` rows in the rule files; the Decision names each by its index).

    Fields left out (None) are asked for, naming the field, only when a rule needs them.
    """

    model_config = _STRICT
    relation: Literal["child", "spouse", "father", "mother", "father_in_law", "mother_in_law", "other_dependant"] = Field(
        description="child; spouse; father, mother; the spouse's father or mother; another family member the insured "
        "person had a legal duty to support"
    )
    sex: Sex | None = Field(None, description="needed for other_dependant; the other relations imply it")
    birth_date: str = Field(description="YYYY-MM-DD, or YYYY-MM / YYYY when only the month or the year is known",
                            examples=["2012-09-01", "1961"])
    capacity_loss_percent: Percent = Field(Decimal(0), description="capacity loss found by the medical board, %")
    capacity_assessment_date: dt.date | None = Field(None, description="date of the medical board's finding")
    monthly_income_vnd: Annotated[int, Field(ge=0)] | None = Field(
        None, description="monthly income (wages, old-age payments, allowances; social assistance left out), VND"
    )
    employed_with_compulsory_insurance: bool | None = Field(
        None, description="draws a salary and is in compulsory social insurance"
    )
    monthly_benefits_vnd: Annotated[int, Field(ge=0)] | None = Field(
        None, description="old-age or capacity-loss payment or another monthly allowance drawn (benefits for people "
        "with meritorious services left out), VND per month; 0 when none"
    )
    has_supporter: bool = Field(True, description="someone directly supports (nuôi dưỡng) this relative")
    also_relative_of_another_deceased: bool = Field(
        False, description="also a relative of another insured person who died, whose death gives the same right"
    )

    @field_validator("birth_date", mode="before")
    @classmethod
    def _partial(cls, v: Any) -> str:
        return Person._partial(v)  # type: ignore[operator]

    @property
    def birth(self) -> tuple[dt.date, str]:
        return months.parse_partial_date(self.birth_date)


class SuppliedParameter(BaseModel):
    """Values the case supplies for a parameter the rules mark ``suppliable``."""

    model_config = _STRICT
    source: str = Field(description="the instrument the values come from, shown in the Decision")
    value: Decimal | None = None
    by_key: dict[str, Decimal] | None = None

    @model_validator(mode="after")
    def _one(self) -> SuppliedParameter:
        if (self.value is None) == (self.by_key is None):
            raise ValueError("give either value or by_key")
        return self


class Case(BaseModel):
    """One claim to decide."""

    model_config = _STRICT
    id: str | None = Field(None, description="your reference; echoed in the Decision")
    person: Person
    contributions: list[ContributionPeriod] = Field(default_factory=list)
    event: Event
    relatives: list[Relative] = Field(default_factory=list)
    history: list[Event] = Field(
        default_factory=list,
        description="earlier events of the same person, oldest first (e.g. the end of an earlier benefit); "
        "each is an event of a declared kind with its facts, read by the rules as the rows of 'events'",
    )
    supplied_parameters: dict[str, SuppliedParameter] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _no_overlap(self) -> Case:
        spans = sorted(
            (months.parse_month(p.start), months.parse_month(p.end), i) for i, p in enumerate(self.contributions)
        )
        for (s1, e1, i1), (s2, e2, i2) in zip(spans, spans[1:]):
            if s2 <= e1:
                raise ValueError(
                    f"contributions[{i2}] overlaps contributions[{i1}] in {months.month_str(s2)}; "
                    "a month counts once — merge concurrent contracts into one period"
                )
        return self


# -- what the rule language can read from a case ---------------------------------------------------
CASE_INPUTS: dict[tuple[str, ...], Type] = {
    ("person", "sex"): enum("male", "female"),
    ("person", "birth_date"): DATE,
    ("person", "birth_date_precision"): enum("year", "month", "day"),
    ("event", "date"): DATE,
}

# Row sources an aggregation can run over. ``contribution_months`` holds the same periods one row per
# month (for values that change inside a year, such as a cap set by a dated parameter); ``events`` holds
# the case's ``history`` followed by the current event, with the declared facts as fields.
ROW_SOURCES = {"contributions": "c", "contribution_months": "m", "events": "e"}

ROW_FIELDS: dict[str, dict[str, Type]] = {
    "contributions": {
        "start": MONTH,
        "end": MONTH,
        "months": INT,
        "year": INT,
        "scheme": enum("compulsory", "voluntary"),
        "wage_setting": enum("employer", "state"),
        "monthly_salary_vnd": MONEY,
        "salary_coefficient": NUMBER,
        "allowance_coefficient": NUMBER,
        "seniority_allowance_percent": NUMBER,
        "over_frame_seniority_percent": NUMBER,
        "work_condition": enum("normal", "heavy", "especially_heavy", "underground_coal_mining"),
        "special_difficulty_area": BOOL,
        "area_allowance_coefficient": NUMBER,
        "region": enum("I", "II", "III", "IV"),
        "monthly_state_support_vnd": MONEY,
    }
}
ROW_FIELDS["contribution_months"] = dict(ROW_FIELDS["contributions"])
ROW_FIELDS["events"] = {"date": DATE, "current": BOOL}  # and `kind` and every declared fact (see rulebook.scope)


# ``relatives``: the case's relatives in their order, one row each (``index`` is the position in the case).
ROW_SOURCES["relatives"] = "r"
ROW_FIELDS["relatives"] = {
    "index": INT,
    "relation": enum("child", "spouse", "father", "mother", "father_in_law", "mother_in_law", "other_dependant"),
    "sex": enum("male", "female"),
    "birth_date": DATE,
    "birth_date_precision": enum("year", "month", "day"),
    "capacity_loss_percent": NUMBER,
    "capacity_assessment_date": DATE,
    "monthly_income_vnd": MONEY,
    "employed_with_compulsory_insurance": BOOL,
    "monthly_benefits_vnd": MONEY,
    "has_supporter": BOOL,
    "also_relative_of_another_deceased": BOOL,
}
# Row sources a benefit may be decided per row of (``per:``), and the Decision field that names the row.
BENEFIT_ROW_SOURCES = {"relatives": "relative_index"}


# -- the Decision ---------------------------------------------------------------------------------------
class Bilingual(BaseModel):
    model_config = ConfigDict(frozen=True)
    vi: str
    en: str


class CitationOut(BaseModel):
    model_config = ConfigDict(frozen=True)
    document: str
    article: str | None = None
    clause: str | None = None
    point: str | None = None
    label: str = Field(description="e.g. 41/2024/QH15 Art. 66 cl. 1 pt. a")
    label_vi: str = Field(description="e.g. 41/2024/QH15, Điều 66, khoản 1, điểm a")
    status: str = Field(description="V verified in a stored full text; V-ocr in an OCR copy; S secondary; U unverified; I interpretation")


class Reason(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: str = Field(description="stable code: the id of the rule")
    outcome: bool | None = Field(description="whether the condition holds (None for information)")
    text: Bilingual
    cites: list[CitationOut]
    depends_on: list[str] = Field(default_factory=list, description="codes of the conditions this one is built from, among these reasons")
    effect: Literal["supports", "blocks", "neutral"] = Field(
        "neutral", description="whether this outcome pushes the benefit's eligibility towards yes (supports) or no (blocks); "
                               "neutral where the rule uses it both ways or inside an if")


class LawApplied(BaseModel):
    model_config = ConfigDict(frozen=True)
    family: str
    version: str
    period: str
    title: Bilingual
    decisive_date: dt.date
    reason: Reason


class Remedy(BaseModel):
    """For a refusal: a value that says what would change the outcome."""

    model_config = ConfigDict(frozen=True)
    id: str
    value: Any
    text: Bilingual


class BenefitDecision(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    title: Bilingual
    eligible: bool
    amount_vnd: int | None = None
    unit: Literal["once", "month", "day"]
    quantity: float | int | None = None
    start_date: dt.date | None = None
    rounding: str | None = None
    reasons: list[Reason]
    cites: list[CitationOut]
    what_would_change: list[Remedy] = Field(default_factory=list)
    relative_index: int | None = Field(
        None, description="for a benefit decided per relative: the relative's position in the case's relatives"
    )


class TraceStep(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    kind: str
    value: Any
    law_period: str | None
    cites: list[str]


class Decision(BaseModel):
    model_config = ConfigDict(frozen=True)
    schema_version: str = SCHEMA_VERSION
    case_id: str | None
    event_kind: str
    event_date: dt.date
    law: LawApplied
    benefits: list[BenefitDecision]
    values: dict[str, Any] = Field(description="named intermediate values, by rule id")
    notes: list[Bilingual] = Field(default_factory=list)
    trace: list[TraceStep] | None = None

    def benefit(self, benefit_id: str) -> BenefitDecision:
        for b in self.benefits:
            if b.id == benefit_id:
                return b
        raise KeyError(benefit_id)

    def explain(self, lang: Literal["vi", "en"] = "en") -> str:
        from .explain import explain

        return explain(self, lang)
