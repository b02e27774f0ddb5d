"""A readable account of a Decision, in Vietnamese or English."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Decision

_WORDS = {
    "vi": {"law": "Luật áp dụng", "eligible": "Đủ điều kiện", "refused": "Không đủ điều kiện", "amount": "Mức hưởng",
           "start": "Từ ngày", "met": "đạt", "not_met": "không đạt", "change": "Điều kiện để được hưởng",
           "values": "Các giá trị trung gian", "unit": {"once": "một lần", "month": "/tháng", "day": "/ngày"}, "notes": "Ghi chú",
           "relative": "thân nhân"},
    "en": {"law": "Law applied", "eligible": "Eligible", "refused": "Not eligible", "amount": "Amount",
           "start": "From", "met": "met", "not_met": "not met", "change": "What would change the outcome",
           "values": "Intermediate values", "unit": {"once": "once", "month": "/month", "day": "/day"}, "notes": "Notes",
           "relative": "relative"},
}


def _money(n: int) -> str:
    return f"{n:,}".replace(",", ".") + " đ"


def _tree(reasons: list) -> list:
    """Reasons in depth-first order from the top condition, each with its depth."""
    by_code = {r.code: r for r in reasons}
    children = {c for r in reasons for c in r.depends_on}
    out: list = []
    seen: set[str] = set()

    def visit(code: str, depth: int) -> None:
        if code in seen:
            return
        seen.add(code)
        out.append((by_code[code], depth))
        for child in by_code[code].depends_on:
            visit(child, depth + 1)

    for r in reasons:
        if r.code not in children:
            visit(r.code, 0)
    for r in reasons:  # anything not reached (should not happen) still shows
        visit(r.code, 0)
    return out


def explain(decision: Decision, lang: str = "en") -> str:
    from .docsgen.arithmetic import benefit_arithmetic

    w = _WORDS["vi" if lang == "vi" else "en"]
    pick = (lambda b: b.vi) if lang == "vi" else (lambda b: b.en)
    lines = [f"{w['law']}: {pick(decision.law.title)} [{decision.law.period}]", f"  {pick(decision.law.reason.text)}"]
    for b in decision.benefits:
        lines.append("")
        status = w["eligible"] if b.eligible else w["refused"]
        who = "" if b.relative_index is None else f" — {w['relative']} {b.relative_index}"
        lines.append(f"{pick(b.title)}{who} — {status}")
        if b.amount_vnd is not None:
            lines.append(f"  {w['amount']}: {_money(b.amount_vnd)} {w['unit'][b.unit]}" +
                         (f"; {w['start']} {b.start_date.isoformat()}" if b.start_date else ""))
            lines.extend(benefit_arithmetic(decision, b.id, lang))  # how the amount was computed
        for r, depth in _tree(b.reasons):
            mark = "✓" if r.outcome else "✗"
            cites = "; ".join(c.label_vi if lang == "vi" else c.label for c in r.cites)
            lines.append(f"  {'   ' * depth}{mark} {pick(r.text)} ({cites})")
        for remedy in b.what_would_change:
            lines.append(f"  → {w['change']}: {pick(remedy.text)} = {remedy.value}")
    if decision.notes:
        lines.append("")
        lines.append(f"{w['notes']}:")
        lines.extend(f"  - {pick(n)}" for n in decision.notes)
    return "\n".join(lines)
