"""cop-diff test suite (a regular package: a dependency, fast-diff-match-patch, ships a
stray top-level ``tests`` package that would otherwise shadow this one)."""
