"""Backends compile the typed IR of a Rulebook and evaluate cases: ``scalar`` (one case, exact, traced)."""
