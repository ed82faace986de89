"""The history of a series in the format the user asked for: JSON (a contract other tools
read: fields may be added, never renamed), a self-contained HTML page, Markdown or text."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from cop_diff import __version__
from cop_diff.exports.markdown import escape_markdown
from cop_diff.history_view import DraftView, HistoryView, build_history_view
from cop_diff.model import ChainLink, History, Lineage, SeriesOrder
from cop_diff.outline import document_record
from cop_diff.render import FOLDS_SCRIPT, REPORT_STYLE, inline_assets
from cop_diff.report import summary
from cop_diff.templating import environment

SCHEMA = "cop-diff/history/1"
HISTORY_STYLE = "history/history.css"
HISTORY_SCRIPT = "history/history.js"


def render_history(
    history: History,
    output_format: str,
    *,
    order: SeriesOrder = "given",
    keep_compiled: bool = False,
) -> str:
    """The history in ``output_format``; ``order`` says how the drafts were ordered."""
    view = build_history_view(history, order)
    if output_format == "json":
        return json.dumps(history_record(view), ensure_ascii=False, indent=1) + "\n"
    if output_format == "html":
        return _render_html(view, keep_compiled=keep_compiled)
    env = environment(keep_compiled=keep_compiled)
    env.filters["md"] = escape_markdown
    name = "history.md" if output_format == "md" else "history.txt"
    return env.get_template(name).render(h=view, version=__version__)


def _render_html(view: HistoryView, *, keep_compiled: bool) -> str:
    """One self-contained page: inline CSS and JS, allowed by hash, nothing fetched."""
    env = environment(keep_compiled=keep_compiled)
    return env.get_template("history.html").render(
        h=view,
        version=__version__,
        # The redline's look and folds, and what this page adds to them.
        **inline_assets(env, (REPORT_STYLE, HISTORY_STYLE), (FOLDS_SCRIPT, HISTORY_SCRIPT)),
    )


def _draft_record(draft: DraftView) -> dict[str, Any]:
    """As the compare report's ``old`` and ``new`` (file name, title, date, ...), with the
    draft's place in the series and its number of provisions."""
    return (
        {"index": draft.index}
        | document_record(draft.document)
        | {"profile": draft.profile, "provisions": draft.provisions}
    )


def _link_record(link: ChainLink | None, labels: dict[str, str]) -> dict[str, Any] | None:
    if link is None:
        return None
    record: dict[str, Any] = {"id": link.id, "label": labels[link.id], "relation": link.relation}
    if link.split_from is not None:
        record["split_from"] = link.split_from
    return record


def _lineage_record(lineage: Lineage, labels: list[dict[str, str]]) -> dict[str, Any]:
    end = lineage.end
    return {
        "chain": [_link_record(link, labels[k]) for k, link in enumerate(lineage.chain)],
        "end": None
        if end is None
        else {"draft": end.draft, "relation": end.relation}
        | ({"merged_into": end.merged_into} if end.merged_into else {}),
        "findings": [asdict(s.finding) | {"step": s.step} for s in lineage.findings],
    }


def history_record(view: HistoryView) -> dict[str, Any]:
    history = view.history
    labels = [{p.id: p.label for p in outline.provisions} for outline in history.outlines]
    return {
        "schema": SCHEMA,
        "generator": f"cop-diff {__version__}",
        "order": view.order,
        "drafts": [_draft_record(draft) for draft in view.drafts],
        "steps": [
            {"step": k, "old": k, "new": k + 1, "summary": summary(step)}
            for k, step in enumerate(history.steps)
        ],
        "lineages": [
            _lineage_record(lineage.lineage, labels)
            | {
                "verdict": lineage.verdict,
                "weakenings": lineage.weakenings,
                "strengthenings": lineage.strengthenings,
            }
            for lineage in view.lineages
        ],
        "verdicts": view.verdict_counts,
        "warnings": list(view.warnings),
    }
