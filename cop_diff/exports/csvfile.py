"""Findings as CSV, one row per finding, for a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is a
formula to Excel and LibreOffice; draft text such as "-5 years" or "=HYPERLINK(...)"
gets a leading apostrophe so that it stays text (the OWASP advice on CSV injection).
"""

from __future__ import annotations

import csv
import io

from cop_diff.model import Comparison
from cop_diff.redline import FindingView, build_redline

COLUMNS = (
    "rule",
    "direction",
    "old",
    "old_label",
    "new",
    "new_label",
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


def _record(view: FindingView) -> list[str]:
    finding = view.finding
    values = {
        "rule": finding.rule,
        "direction": finding.direction,
        "old": finding.old or "",
        "old_label": view.old_label,
        "new": finding.new or "",
        "new_label": view.new_label,
        "old_text": finding.old_text,
        "new_text": finding.new_text,
        "explanation": finding.explanation,
        "confidence": f"{finding.confidence:g}",
        "rationale": finding.rationale or "",
    }
    return [safe_cell(values[column]) for column in COLUMNS]


def render_csv(comparison: Comparison) -> str:
    """Weakenings first, then strengthenings, then the rest, as in the HTML report."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for view in build_redline(comparison).findings:
        writer.writerow(_record(view))
    return BYTE_ORDER_MARK + buffer.getvalue()
