"""The JSON report: a contract other tools read. Fields may be added, never renamed."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from typing import Any

from cop_diff import __version__
from cop_diff.model import Comparison
from cop_diff.outline import document_record, provision_record
from cop_diff.sanity import comparison_warnings

SCHEMA = "cop-diff/report/1"


def summary(comparison: Comparison) -> dict[str, int]:
    """Findings per direction, then per tier."""
    counts = Counter(f.direction for f in comparison.findings)
    tiers = Counter(f.tier for f in comparison.findings)
    return {key: counts[key] for key in ("weakening", "strengthening", "neutral")} | {
        key: tiers[key] for key in ("finding", "worth-a-look", "other")
    }


def report_record(comparison: Comparison) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "generator": f"cop-diff {__version__}",
        "old": document_record(comparison.old.document) | {"profile": comparison.old.profile},
        "new": document_record(comparison.new.document) | {"profile": comparison.new.profile},
        "provisions": {
            "old": [provision_record(p) for p in comparison.old.provisions],
            "new": [provision_record(p) for p in comparison.new.provisions],
        },
        "alignment": [asdict(a) for a in comparison.alignment],
        "diffs": [
            {"old": d.old, "new": d.new, "ops": [[op.op, op.text] for op in d.ops]}
            for d in comparison.diffs
        ],
        "lists": [
            {
                "old": d.old,
                "new": d.new,
                "kept": [list(pair) for pair in d.kept],
                "removed": list(d.removed),
                "added": list(d.added),
                "moved_out": [list(pair) for pair in d.moved_out],
                "moved_in": [list(pair) for pair in d.moved_in],
            }
            for d in comparison.lists
        ],
        "findings": [asdict(f) for f in comparison.findings],
        "summary": summary(comparison),
        "warnings": comparison_warnings(comparison),
    }


def report_json(comparison: Comparison) -> str:
    return json.dumps(report_record(comparison), ensure_ascii=False, indent=1) + "\n"
