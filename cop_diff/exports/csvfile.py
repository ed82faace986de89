"""Findings as CSV, one row per finding, for a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is a
formula to Excel and LibreOffice; draft text such as "-5 years" or "=HYPERLINK(...)"
gets a leading apostrophe so that it stays text (the OWASP advice on CSV injection).
"""

from __future__ import annotations

import csv
import io

from cop_diff.model import Comparison, Provision
from cop_diff.redline import FindingView, build_redline

COLUMNS = (
    "rank",
    "tier",
    "rule",
    "direction",
    "leaning",
    "old",
    "old_label",
    "old_page",
    "new",
    "new_label",
    "new_page",
    "old_text",
    "new_text",
    "explanation",
    "confidence",
    "rationale",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"
"""Excel reads a CSV file as UTF-8 only when it starts with this mark."""


def safe_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _page(provision: Provision | None) -> str:
    return str(provision.page) if provision is not None and provision.page is not None else ""


def _record(view: FindingView) -> list[str]:
    finding = view.finding
    values = {
        "rank": str(finding.rank),
        "tier": finding.tier,
        "rule": finding.rule,
        "direction": finding.direction,
        "leaning": finding.leaning,
        "old": finding.old or "",
        "old_label": view.old_label,
        "old_page": _page(view.old),
        "new": finding.new or "",
        "new_label": view.new_label,
        "new_page": _page(view.new),
        "old_text": finding.old_text,
        "new_text": finding.new_text,
        "explanation": finding.explanation,
        "confidence": f"{finding.confidence:g}",
        "rationale": finding.rationale or "",
    }
    return [safe_cell(values[column]) for column in COLUMNS]


def render_csv(comparison: Comparison) -> str:
    """In rank order, as in the HTML report: the finding tier (weakenings first), then
    worth a look, then the rest."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for view in build_redline(comparison).findings:
        writer.writerow(_record(view))
    return BYTE_ORDER_MARK + buffer.getvalue()
