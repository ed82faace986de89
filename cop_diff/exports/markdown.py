"""A Markdown summary for an issue tracker or an e-mail: counts, then weakenings, then
strengthenings, each with its evidence as a ``diff`` block.

Draft text is untrusted: inline, it is flattened to one line and every character that
Markdown (or GitHub: mentions, references, maths) would read as syntax is escaped; in a
``diff`` block every line starts with ``-`` or ``+``, so no line can close the fence.

No draft text becomes a link, not even by GitHub's autolinks of bare addresses: the
colon of ``https://`` and the dot of ``www.`` are written as character references,
which GitHub shows as the characters but does not link, and an e-mail address (which
GitHub links whatever is escaped) is shown as code.
"""

from __future__ import annotations

import re

from cop_diff import __version__
from cop_diff.model import Comparison
from cop_diff.redline import build_redline
from cop_diff.sanity import comparison_warnings
from cop_diff.templating import environment

MAX_OTHER_CHANGES = 100
"""Neutral findings listed one per line; past this the summary points to the full report
(issue trackers cap a comment at about 65,000 characters)."""

_SPECIAL = re.compile(r"([\\`*_\[\]<>~&|@#$^{}!])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SCHEME = re.compile(r"\b([a-z][a-z0-9+.-]*):(?=//)", re.IGNORECASE)
_WWW = re.compile(r"\b(www)\.", re.IGNORECASE)
_BLOCK_START = re.compile(r"^([-+=:]|\d+[.)])")


def escape_markdown(text: str) -> str:
    """Draft or tool text as one inline Markdown line that renders as itself, and as no link."""
    flat = " ".join(text.split())
    parts = []
    at = 0
    for email in _EMAIL.finditer(flat):
        parts.append(_escape_run(flat[at : email.start()]))
        parts.append(f"`{email.group()}`")
        at = email.end()
    parts.append(_escape_run(flat[at:]))
    # At the start of a line "-", "+", "1." or "=" would begin a list or an underline.
    return _BLOCK_START.sub(r"\\\1", "".join(parts))


def _escape_run(text: str) -> str:
    escaped = _SPECIAL.sub(r"\\\1", text)
    escaped = _SCHEME.sub(r"\1&#58;", escaped)
    return _WWW.sub(r"\1&#46;", escaped)


def diff_lines(old_text: str, new_text: str) -> list[str]:
    """The lines of a ``diff`` block: the old text as "- " lines, the new as "+ " lines."""
    lines = [f"- {line}" for line in old_text.splitlines() if line.strip()]
    lines += [f"+ {line}" for line in new_text.splitlines() if line.strip()]
    return lines


def render_markdown(comparison: Comparison) -> str:
    env = environment()
    env.filters["md"] = escape_markdown
    template = env.get_template("report.md")
    return template.render(
        r=build_redline(comparison),
        version=__version__,
        diff_lines=diff_lines,
        max_other=MAX_OTHER_CHANGES,
        warnings=comparison_warnings(comparison),
    )
