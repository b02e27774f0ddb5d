"""The documentation generator: the Rulebook (the same IR the backends compile) → markdown pages
for mkdocs, in Vietnamese and English. See :func:`generate` and :func:`write`."""

from .site import Generated, Sources, generate, localized, write

__all__ = ["Generated", "Sources", "generate", "localized", "write"]
