"""Render a ``Comparison`` in the format the user asked for."""

from __future__ import annotations

from collections import Counter
from typing import get_args

from cop_diff.model import Comparison, Relation
from cop_diff.report import report_json, summary
from cop_diff.templating import environment


def render_report(comparison: Comparison, output_format: str) -> str:
    if output_format == "json":
        return report_json(comparison)
    counts = Counter(a.relation for a in comparison.alignment)
    template = environment().get_template("compare.txt")
    return template.render(
        old=comparison.old,
        new=comparison.new,
        counts={relation: counts[relation] for relation in get_args(Relation)},
        summary=summary(comparison),
        findings=comparison.findings,
    )
