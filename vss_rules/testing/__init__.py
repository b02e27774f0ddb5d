"""Testers' kit: YAML scenarios and their runner, the pytest plugin, and hypothesis strategies for cases."""

from .scenarios import Mismatch, Outcome, Scenario, compare, load_scenarios, run_scenario, scenario_yaml

__all__ = ["Mismatch", "Outcome", "Scenario", "compare", "load_scenarios", "run_scenario", "scenario_yaml"]
