"""The README's example outputs, checked against what the current code prints.

An example is a fenced block right after a line ``<!-- generated: cop-diff ARGS -->``;
its first line is ``$ cop-diff ARGS`` and the rest is that command's stdout, run from
the project root. A line ``...`` stands for any number of lines the README leaves out.

``python -m tests.readme_examples`` rewrites the examples from the current code (keeping
each one's cut), so that the README is regenerated, never edited by hand.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from cop_diff.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ELISION = "..."
_EXAMPLE = re.compile(
    r"^<!-- generated: cop-diff (?P<args>.+?) -->\n```(?P<lang>\w*)\n(?P<body>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)


@dataclass(frozen=True)
class Example:
    args: str
    lang: str
    body: str
    start: int
    end: int

    @property
    def shown(self) -> list[str]:
        """The output lines as the README shows them (without the ``$`` line)."""
        return self.body.splitlines()[1:]


def examples(text: str) -> list[Example]:
    return [
        Example(m["args"], m["lang"], m["body"], m.start("body"), m.end("body"))
        for m in _EXAMPLE.finditer(text)
    ]


@contextlib.contextmanager
def _in_root() -> Iterator[None]:
    before = Path.cwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(before)


def run(args: str) -> list[str]:
    """The command's stdout lines, as a user running it from the project root sees them."""
    with _in_root():
        result = CliRunner().invoke(main, [*shlex.split(args), "--quiet"])
    if result.exit_code not in (0, 1):
        raise RuntimeError(f"cop-diff {args} failed: {result.output}")
    return result.stdout.splitlines()


def matches(shown: list[str], actual: list[str]) -> bool:
    """Whether the README's lines are the actual ones, ``...`` standing for any run."""
    pattern = "".join(
        r"(?:.*\n)*?" if line == ELISION else re.escape(line) + r"\n" for line in shown
    )
    return re.fullmatch(pattern, "".join(f"{line}\n" for line in actual)) is not None


def regenerated(example: Example, actual: list[str]) -> str:
    """The example from ``actual``, cut where the README cut it."""
    shown = example.shown
    cut = shown.index(ELISION) if ELISION in shown else None
    lines = actual if cut is None else [*actual[:cut], ELISION]
    return "\n".join([f"$ cop-diff {example.args}", *lines]) + "\n"


def rewrite(text: str) -> str:
    for example in reversed(examples(text)):
        body = regenerated(example, run(example.args))
        text = text[: example.start] + body + text[example.end :]
    return text


if __name__ == "__main__":
    README.write_text(rewrite(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"rewrote {len(examples(README.read_text(encoding='utf-8')))} examples in {README}")
    sys.exit(0)
