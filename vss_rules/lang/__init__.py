"""The rule expression language: grammar (lark), syntax tree, types, checker and typed IR."""
