"""The ``vss-rules`` command line.

    vss-rules evaluate CASE.json|yaml|jsonl|DIR… [--explain] [--lang vi|en] [--trace] [--json]
    vss-rules check [RULES_DIR]
    vss-rules schema
    vss-rules test PATH…

Exit status: 0 success; 1 a case, rule file or scenario failed; 2 usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Iterator

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import track
from rich.table import Table

from . import __version__
from .errors import RuleFileErrors, VssError
from .rulebook.yamlsafe import load_yaml

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Vietnam social-insurance rules as code.")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        print(f"vss-rules {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = None) -> None:
    """Decide Vietnamese social-insurance claims from declarative rule files."""


def _read_case(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as e:
            raise VssError(f"invalid JSON: {e.msg}", where=f"{path}:{e.lineno}:{e.colno}", code="CASE_JSON") from None
    data = load_yaml(text, str(path))
    return _plain(data)


def _read_cases(path: Path) -> Iterator[tuple[str, Any]]:
    """(name, case or the VssError reading it) for each case of a file; a JSON Lines file holds one per line."""
    if path.suffix.lower() != ".jsonl":
        try:
            yield path.stem, _read_case(path)
        except VssError as e:
            yield path.stem, e
        return
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                yield f"{path.stem}:{number}", json.loads(line)
            except json.JSONDecodeError as e:
                yield f"{path.stem}:{number}", VssError(f"invalid JSON: {e.msg}", where=f"{path}:{number}:{e.colno}",
                                                        code="CASE_JSON")


def _plain(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_plain(v) for v in x]
    if hasattr(x, "isoformat"):
        return x.isoformat()
    if isinstance(x, str):
        return str(x)
    return x


CASE_SUFFIXES = (".json", ".jsonl", ".yaml", ".yml")


def _case_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in CASE_SUFFIXES))
        elif p.exists():
            files.append(p)
        else:
            err.print(f"[red]error:[/] {escape(str(p))}: no such file or directory")
            raise typer.Exit(2)
    return files


def _money(n: int | None) -> str:
    return "" if n is None else f"{n:,}".replace(",", ".")


@app.command()
def evaluate(
    cases: Annotated[list[Path], typer.Argument(help="Case files (JSON, YAML, or JSON Lines with one case per line) or directories of them.")],
    explain: Annotated[bool, typer.Option("--explain", help="A readable account instead of JSON.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="Language of the account: vi or en.")] = "en",
    trace: Annotated[bool, typer.Option("--trace", help="Include every rule evaluated in the JSON output.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON even for several cases (one object per line; an error as {\"case\", \"error\"}).")] = False,
) -> None:
    """Decide cases. One case: the Decision as JSON (or --explain). Several: a table, or JSON Lines with --json.

    A progress bar on stderr follows long runs when stderr is a terminal.
    """
    from . import evaluate as decide

    if lang not in ("vi", "en"):
        err.print("[red]error:[/] --lang must be vi or en")
        raise typer.Exit(2)
    files = _case_files(cases)
    single = len(files) == 1 and files[0].suffix.lower() != ".jsonl"
    items: Iterator[tuple[str, Any]] = (item for f in files for item in _read_cases(f))
    if not single and err.is_terminal:
        items = track(items, description="deciding", console=err, transient=True)
    failed = False
    rows = []
    for name, case in items:
        try:
            if isinstance(case, VssError):
                raise case
            decision = decide(case, trace=trace)
        except VssError as e:
            failed = True
            if as_json:
                print(json.dumps({"case": name, "error": e.to_dict()}, ensure_ascii=False))
            else:
                err.print(f"[red]error:[/] {escape(name)}: {escape(str(e))}", highlight=False)
                rows.append((name, None, e))
            continue
        if explain:
            out.print(f"[bold]{name}[/]")
            out.print(decision.explain(lang), highlight=False)
            out.print()
        elif as_json or single:
            print(json.dumps(decision.model_dump(mode="json"), ensure_ascii=False, indent=None if as_json else 2))
        else:
            rows.append((name, decision, None))
    if rows and not single and not explain:
        _table(rows, lang)
    raise typer.Exit(1 if failed else 0)


def _table(rows: list, lang: str) -> None:
    table = Table(title="vss-rules decisions", show_lines=False)
    for col in ("case", "law applied", "benefit", "eligible", "amount (VND)", "from", "reason"):
        table.add_column(col, overflow="fold")
    for name, d, e in rows:
        if e is not None:
            table.add_row(name, "—", "—", "[red]error[/]", "", "", f"{e.code}: {e.message}")
            continue
        for b in d.benefits:
            blocking = {r.code for r in b.reasons if r.effect == "blocks"}
            # the most specific conditions that blocked it: blocking ones none of whose parts also block
            failed = [r for r in b.reasons if r.code in blocking and not blocking & set(r.depends_on)]
            why = ""
            if not b.eligible:
                why = (failed[0].text.vi if lang == "vi" else failed[0].text.en) if failed else ""
                if b.what_would_change:
                    why += " → " + ", ".join(f"{r.id}={r.value}" for r in b.what_would_change)
            unit = {"month": "/month", "once": "once", "day": "/day"}[b.unit]
            label = b.id if b.relative_index is None else f"{b.id} [relatives[{b.relative_index}]]"
            table.add_row(name, d.law.period, label, "yes" if b.eligible else "no",
                          f"{_money(b.amount_vnd)} {unit}" if b.amount_vnd is not None else "",
                          b.start_date.isoformat() if b.start_date else "", why)
            name = ""
    out.print(table)


@app.command()
def check(rules_dir: Annotated[Path | None, typer.Argument(help="Rules directory (default: the installed rules).")] = None) -> None:
    """Load and check every rule file; list each problem as file:line:col."""
    from .rulebook import load_rulebook

    try:
        book = load_rulebook(rules_dir, use_cache=False)
    except RuleFileErrors as e:
        for problem in e.errors:
            err.print(str(problem), highlight=False, markup=False)
        err.print(f"[red]{len(e.errors)} problem(s)[/]")
        raise typer.Exit(1) from None
    except VssError as e:
        err.print(str(e), highlight=False, markup=False)
        raise typer.Exit(1) from None
    n_rules = sum(len(v) for v in book.rules.values())
    out.print(f"ok: {n_rules} rules, {len(book.benefits)} benefits, {len(book.parameters)} parameters, "
              f"{len(book.tables)} tables, {len(book.event_kinds)} event kinds")


@app.command()
def docs(
    out_dir: Annotated[Path, typer.Argument(help="Folder for the generated pages (x.md Vietnamese, x.en.md English).")],
    rules_dir: Annotated[Path | None, typer.Option("--rules", help="Rules directory (default: the installed rules).")] = None,
    root: Annotated[Path, typer.Option("--root", help="Checkout with tests/scenarios/ and docs/charts.yaml.")] = Path("."),
) -> None:
    """Generate the documentation pages from the rule files (mkdocs build does this itself)."""
    from .docsgen import Sources, generate, write
    from .rulebook import load_rulebook

    try:
        generated = generate(load_rulebook(rules_dir), Sources.checkout(root))
    except VssError as e:
        err.print(str(e), highlight=False, markup=False)
        raise typer.Exit(1) from None
    written = write(generated, out_dir)
    out.print(f"{len(generated.pages)} pages in {out_dir} ({len(written)} changed)")


@app.command()
def schema() -> None:
    """Print the JSON Schema of a Case (facts of each event kind included)."""
    from . import case_schema

    print(json.dumps(case_schema(), ensure_ascii=False, indent=2))


@app.command("test")
def test_(paths: Annotated[list[Path], typer.Argument(help="Scenario files or directories.")]) -> None:
    """Run YAML scenarios and show what differs."""
    from .testing.scenarios import load_scenarios, run_scenario, scenario_files

    try:
        files = scenario_files(paths)
    except VssError as e:
        err.print(str(e))
        raise typer.Exit(2) from None
    total = failed = 0
    for f in files:
        try:
            scenarios = load_scenarios(f)
        except VssError as e:
            err.print(f"[red]error:[/] {escape(str(e))}", highlight=False)
            failed += 1
            continue
        for s in scenarios:
            total += 1
            outcome = run_scenario(s)
            if outcome.passed:
                out.print(f"[green]PASS[/] {s.id}  {s.title}", highlight=False)
            else:
                failed += 1
                out.print(f"[red]FAIL[/] {s.id}  {s.title}  ({s.where})", highlight=False)
                for m in outcome.mismatches:
                    out.print(f"       {m}", highlight=False, markup=False)
    out.print(f"{total - failed} passed, {failed} failed")
    if total == 0:
        err.print("no scenarios found")
        raise typer.Exit(1)
    raise typer.Exit(1 if failed else 0)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
