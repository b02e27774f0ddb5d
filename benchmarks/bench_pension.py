"""Old-age pension under Law 41/2024: vss_rules' scalar backend against peers, same process, same data.

    python benchmarks/bench_pension.py [--cases N]

Peers, each written independently of the rule files (they also cross-check our answers):
  * hand-written Python — one function, the law's arithmetic inline;
  * hand-written numpy — the same arithmetic over columns;
  * durable_rules — conditions and rates as a ruleset (ages and averages precomputed in Python).
Every peer must give the same eligibility and amount as vss_rules for every case, or the run fails.
Figures are throughput ratios, printed; nothing here is a timed assertion.

Cases: Law 41/2024 retirements 2025-07 … 2030-12, one state-scale contribution period started
before 2016 (so revaluation uses the reference level, no CPI table), normal conditions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from fractions import Fraction

import numpy as np

import vss_rules

BASE = [(dt.date(2024, 7, 1), 2_340_000), (dt.date(2026, 7, 1), 2_530_000)]
WINDOW = [(1995, 5), (2001, 6), (2007, 8), (2016, 10)]  # joined before year → years averaged (Art. 72(1))


def month(y: int, m: int) -> int:
    return y * 12 + m - 1


def base_salary(d: dt.date) -> int:
    return [v for start, v in BASE if start <= d][-1]


def normal_age(sex: str, birth: int) -> int:
    """Labour Code Art. 169(2): 60/55 until 2020, then +3/+4 months a year to 62/60 (year the age is reached)."""
    start, step, cap = (720, 3, 744) if sex == "male" else (660, 4, 720)
    for year in range(2021, 2040):
        age = min(start + step * (year - 2020), cap)
        if (birth + age) // 12 <= year:
            return age if (birth + start) // 12 > 2020 else start
    return cap


def make_cases(n: int, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    cases = []
    for i in range(n):
        sex = rnd.choice(["male", "female"])
        event = month(rnd.randint(2025, 2030), rnd.randint(1, 12))
        event = max(event, month(2025, 7))
        birth_year = rnd.randint(1962, 1975)
        birth = month(birth_year, rnd.randint(1, 12))
        start = month(rnd.randint(1986, 2015), rnd.randint(1, 12))
        end = event - 1
        cases.append({
            "id": str(i),
            "person": {"sex": sex, "birth_date": f"{birth // 12}-{birth % 12 + 1:02d}-15"},
            "contributions": [{"start": f"{start // 12}-{start % 12 + 1:02d}", "end": f"{end // 12}-{end % 12 + 1:02d}",
                               "wage_setting": "state", "salary_coefficient": rnd.randint(150, 800) / 100}],
            "event": {"kind": "retirement", "date": f"{event // 12}-{event % 12 + 1:02d}-01"},
        })
    return cases


# -- hand-written Python ----------------------------------------------------------------------------
def by_hand(case: dict) -> tuple[bool, int | None]:
    sex = case["person"]["sex"]
    b = case["person"]["birth_date"]
    birth = month(int(b[:4]), int(b[5:7]))
    p = case["contributions"][0]
    start, end = month(int(p["start"][:4]), int(p["start"][5:])), month(int(p["end"][:4]), int(p["end"][5:]))
    ev = dt.date.fromisoformat(case["event"]["date"])
    retirement_month = month(ev.year, ev.month) - 1
    n = end - start + 1
    if n < 180 or retirement_month - birth < normal_age(sex, birth):
        return False, None
    years = Fraction(n // 12) + (0 if n % 12 == 0 else Fraction(1, 2) if n % 12 <= 6 else 1)
    if sex == "female":
        rate = Fraction(45, 100) + Fraction(2, 100) * (years - 15)
    elif n >= 240:
        rate = Fraction(45, 100) + Fraction(2, 100) * (years - 20)
    else:
        rate = Fraction(40, 100) + Fraction(1, 100) * (years - 15)
    rate = min(rate, Fraction(75, 100))
    joined_year = start // 12
    window_years = next(y for limit, y in WINDOW if joined_year < limit)
    average = Fraction(str(p["salary_coefficient"])) * base_salary(ev)  # one period: the window average is its salary
    amount = rate * average
    if n >= 240:
        amount = max(amount, Fraction(base_salary(ev)))
    return True, int(amount + Fraction(1, 2)) if window_years else None


# -- hand-written numpy -----------------------------------------------------------------------------
def columns(cases: list[dict]) -> dict[str, np.ndarray]:
    out = {k: [] for k in ("male", "birth", "start", "end", "retirement", "coef", "base", "age")}
    for c in cases:
        b = c["person"]["birth_date"]
        p = c["contributions"][0]
        ev = dt.date.fromisoformat(c["event"]["date"])
        out["male"].append(c["person"]["sex"] == "male")
        out["birth"].append(month(int(b[:4]), int(b[5:7])))
        out["start"].append(month(int(p["start"][:4]), int(p["start"][5:])))
        out["end"].append(month(int(p["end"][:4]), int(p["end"][5:])))
        out["retirement"].append(month(ev.year, ev.month) - 1)
        out["coef"].append(round(p["salary_coefficient"] * 100))
        out["base"].append(base_salary(ev))
        out["age"].append(normal_age(c["person"]["sex"], out["birth"][-1]))
    return {k: np.array(v, dtype=np.int64) for k, v in out.items()}


def by_numpy(col: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    n = col["end"] - col["start"] + 1
    eligible = (n >= 180) & (col["retirement"] - col["birth"] >= col["age"])
    odd = n % 12
    half_years = 2 * (n // 12) + np.where(odd == 0, 0, np.where(odd <= 6, 1, 2))  # years × 2
    male = col["male"].astype(bool)
    # rates in basis points × 2 (half years): women 4500 + 200·(y−15); men ≥20y 4500 + 200·(y−20); men <20y 4000 + 100·(y−15)
    rate2 = np.where(~male, 9000 + 200 * (half_years - 30),
                     np.where(n >= 240, 9000 + 200 * (half_years - 40), 8000 + 100 * (half_years - 30)))
    rate2 = np.minimum(rate2, 15000)
    average_x100 = col["coef"] * col["base"]  # salary × 100
    amount_x2e6 = rate2 * average_x100  # amount × 2·10⁴·100
    amount = (amount_x2e6 + 1_000_000) // 2_000_000
    amount = np.where(n >= 240, np.maximum(amount, col["base"]), amount)
    return eligible, np.where(eligible, amount, -1)


# -- durable_rules ----------------------------------------------------------------------------------
def durable_ruleset(results: dict):
    from durable.lang import m, ruleset, when_all

    with ruleset("vss_bench_pension"):
        @when_all((m.eligible == 1) & (m.male == 0))
        def women(c):
            results[c.m.case] = 4500 + 100 * (c.m.half_years - 30)

        @when_all((m.eligible == 1) & (m.male == 1) & (m.months >= 240))
        def men_20(c):
            results[c.m.case] = 4500 + 100 * (c.m.half_years - 40)

        @when_all((m.eligible == 1) & (m.male == 1) & (m.months < 240))
        def men_15(c):
            results[c.m.case] = 4000 + 50 * (c.m.half_years - 30)

        @when_all(m.eligible == 0)
        def refused(c):
            results[c.m.case] = None


def by_durable(col: dict[str, np.ndarray], post, results: dict) -> list[tuple[bool, int | None]]:
    n = col["end"] - col["start"] + 1
    odd = n % 12
    half = 2 * (n // 12) + np.where(odd == 0, 0, np.where(odd <= 6, 1, 2))
    eligible = (n >= 180) & (col["retirement"] - col["birth"] >= col["age"])
    for i in range(len(n)):
        post("vss_bench_pension", {"case": i, "eligible": int(eligible[i]), "male": int(col["male"][i]),
                                   "months": int(n[i]), "half_years": int(half[i])})
    out = []
    for i in range(len(n)):
        bp = results[i]
        if bp is None:
            out.append((False, None))
            continue
        amount = Fraction(min(bp, 7500), 10_000) * Fraction(int(col["coef"][i]), 100) * int(col["base"][i])
        if n[i] >= 240:
            amount = max(amount, Fraction(int(col["base"][i])))
        out.append((True, int(amount + Fraction(1, 2))))
    results.clear()
    return out


def timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    args = parser.parse_args()
    cases = make_cases(args.cases)
    book = vss_rules.load_rulebook()
    vss_rules.evaluate(cases[0], rulebook=book)  # warm up

    t_ours, ours = timed(lambda: [(lambda p: (p.eligible, p.amount_vnd))(vss_rules.evaluate(c, rulebook=book).benefit("monthly_pension")) for c in cases])
    t_hand, hand = timed(lambda: [by_hand(c) for c in cases])
    t_cols, col = timed(columns, cases)
    reps = max(1, 200_000 // len(cases))
    t_np, (np_ok, np_amount) = timed(lambda: [by_numpy(col) for _ in range(reps)][-1])
    t_np /= reps
    results: dict = {}
    from durable.lang import post

    durable_ruleset(results)
    t_dr, dr = timed(by_durable, col, post, results)

    for i, (o, h) in enumerate(zip(ours, hand)):
        assert o == h, ("hand-written Python disagrees", cases[i], o, h)
        assert (o[0], o[1] if o[0] else -1) == (bool(np_ok[i]), int(np_amount[i])), ("numpy disagrees", cases[i], o)
        assert o == dr[i], ("durable_rules disagrees", cases[i], o, dr[i])

    eligible = sum(1 for o in ours if o[0])
    print(f"{len(cases)} cases ({eligible} eligible); every peer agrees with vss_rules on every case")
    rows = [("vss_rules scalar (exact, traced reasons)", t_ours), ("hand-written Python (Fraction)", t_hand),
            ("hand-written numpy (int64 columns)", t_np), ("numpy incl. building the columns", t_np + t_cols),
            ("durable_rules (+ numpy preprocessing)", t_dr + t_cols)]
    print(f"{'implementation':45} {'cases/s':>12} {'time vs vss_rules':>18}")
    for name, t in rows:
        print(f"{name:45} {len(cases) / t:12,.0f} {t / t_ours:17.4f}×")


if __name__ == "__main__":
    main()
