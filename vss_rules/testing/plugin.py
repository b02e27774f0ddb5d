"""pytest plugin: every ``scenarios/**/*.yaml`` file with a top-level ``scenarios`` list is a test module.

Each scenario is one test item, named by its id; a failure shows one line per
mismatching field. Installed through the ``pytest11`` entry point.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..errors import ScenarioError
from .scenarios import Scenario, load_scenarios, run_scenario


def pytest_collect_file(parent: pytest.Collector, file_path: Path):
    if file_path.suffix == ".yaml" and "scenarios" in file_path.parts:
        head = file_path.read_text(encoding="utf-8", errors="replace")[:4000]
        if "scenarios:" in head:
            return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self):
        try:
            scenarios = load_scenarios(self.path)
        except ScenarioError as e:
            raise self.CollectError(str(e)) from None
        for s in scenarios:
            yield ScenarioItem.from_parent(self, name=s.id, scenario=s)


class ScenarioFailure(Exception):
    pass


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario, **kwargs):
        super().__init__(**kwargs)
        self.scenario = scenario
        for article in scenario.articles:
            self.user_properties.append(("article", article))

    def runtest(self) -> None:
        outcome = run_scenario(self.scenario)
        if not outcome.passed:
            raise ScenarioFailure("\n".join(str(m) for m in outcome.mismatches))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioFailure):
            return f"scenario {self.scenario.id} ({self.scenario.where}) — {self.scenario.title}\n{excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"scenario {self.scenario.id}"
