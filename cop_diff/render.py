"""Render a ``Comparison`` in the format the user asked for."""

from __future__ import annotations

import base64
import hashlib
import textwrap
from dataclasses import replace

import jinja2
from markupsafe import Markup

from cop_diff import __version__
from cop_diff.model import Comparison, Selection
from cop_diff.redline import build_redline
from cop_diff.report import report_json
from cop_diff.sanity import comparison_warnings
from cop_diff.templating import environment

REPORT_FORMATS = ("text", "json", "html", "md", "csv", "docx")
"""What ``render_report`` accepts; docx is bytes, the others text."""

REPORT_STYLE = "report/report.css"
REPORT_SCRIPT = "report/report.js"
FOLDS_SCRIPT = "report/folds.js"
"""What opens and folds for a reader, shared by the redline and the history page."""


def render_report(
    comparison: Comparison,
    output_format: str,
    *,
    keep_compiled: bool = False,
    selection: Selection | None = None,
) -> str | bytes:
    """The report in ``output_format``, of the findings ``selection`` picks;
    ``keep_compiled``: see ``templating.environment``."""
    selection = selection or Selection()
    comparison = select_findings(comparison, selection)
    if output_format == "json":
        return report_json(comparison)
    if output_format == "html":
        return render_html(comparison, keep_compiled=keep_compiled)
    if output_format in ("md", "csv", "docx"):
        return _render_export(comparison, output_format)
    return render_text(comparison, selection)


def select_findings(comparison: Comparison, selection: Selection) -> Comparison:
    """The comparison with only the findings the user asked for."""
    if selection.leaning is None and selection.min_confidence <= 0:
        return comparison
    kept = tuple(
        f
        for f in comparison.findings
        if (selection.leaning is None or f.leaning == selection.leaning)
        and f.confidence >= selection.min_confidence
    )
    return replace(comparison, findings=kept)


TEXT_WIDTH = 190
"""Lines of the text report wrap here (a wide terminal), so that most findings take one."""
TEXT_LINES = 2
"""Lines a finding may take in the text report; the HTML report has all of it."""


def text_entry(where: str, rule: str, statement: str, most: int = TEXT_LINES) -> list[str]:
    """One finding as at most ``most`` lines: where, what kind, what changed."""
    lines = textwrap.wrap(
        f"{where} [{rule}] {statement}",
        width=TEXT_WIDTH,
        initial_indent="  - ",
        subsequent_indent="    ",
        break_on_hyphens=False,
    )
    if len(lines) > most:
        last = lines[most - 1]
        lines = [*lines[: most - 1], last[: TEXT_WIDTH - 2].rsplit(" ", 1)[0] + " …"]
    return lines


def render_text(comparison: Comparison, selection: Selection | None = None) -> str:
    """Header, counts, the findings, worth a look, then one line per kind of other
    change (with ``selection.everything``: each of them, too)."""
    selection = selection or Selection()
    template = environment().get_template("compare.txt")
    return template.render(
        r=build_redline(comparison),
        selection=selection,
        everything=selection.everything,
        entry=text_entry,
        warnings=comparison_warnings(comparison),
    )


def _render_export(comparison: Comparison, output_format: str) -> str | bytes:
    # Imported here so that `compare` to JSON or text loads no exporter.
    if output_format == "md":
        from cop_diff.exports.markdown import render_markdown

        return render_markdown(comparison)
    if output_format == "csv":
        from cop_diff.exports.csvfile import render_csv

        return render_csv(comparison)
    from cop_diff.exports.docx import render_docx

    return render_docx(comparison)


def static_source(env: jinja2.Environment, name: str) -> str:
    """A stylesheet or script shipped with the templates, as written (not rendered)."""
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    # It goes inside <style> or <script> unescaped, so it must not be able to close it.
    if "</" in source:
        raise ValueError(f"{name} must not contain '</'")
    return source


def csp_hash(source: str) -> str:
    """The Content-Security-Policy source expression that allows exactly this inline text."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def inline_assets(
    env: jinja2.Environment, styles: tuple[str, ...], scripts: tuple[str, ...]
) -> dict[str, Markup | str]:
    """A page's own stylesheets and scripts, each set joined for inlining, and the
    Content-Security-Policy hashes that allow exactly them."""
    style = "\n".join(static_source(env, name) for name in styles)
    script = "\n".join(static_source(env, name) for name in scripts)
    return {
        # Our own files, checked by static_source: the only markup not autoescaped.
        "css": Markup(style),
        "script": Markup(script),
        "style_hash": csp_hash(style),
        "script_hash": csp_hash(script),
    }


def render_html(comparison: Comparison, *, keep_compiled: bool = False) -> str:
    """One self-contained page: inline CSS and JS, allowed by hash, nothing fetched."""
    env = environment(keep_compiled=keep_compiled)
    return env.get_template("report.html").render(
        r=build_redline(comparison),
        version=__version__,
        warnings=comparison_warnings(comparison),
        **inline_assets(env, (REPORT_STYLE,), (FOLDS_SCRIPT, REPORT_SCRIPT)),
    )
