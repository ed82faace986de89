"""Render an ``Outline`` for people (text, HTML) and for tools (JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from cop_diff.extract import damage_warning
from cop_diff.labels import file_name
from cop_diff.model import Document, Outline, Provision
from cop_diff.templating import environment

PROVISION_FIELDS = ("id", "label", "kind", "number", "heading", "parent", "binding", "page", "text")
"""The provision fields of the JSON outline and report, in this order."""


def provision_record(provision: Provision) -> dict[str, Any]:
    data = asdict(provision)
    return {key: data[key] for key in PROVISION_FIELDS}


def outline_warnings(outline: Outline) -> list[str]:
    """What the reader of an outline must know: pages read despite damage (``--keep-going``)."""
    warning = damage_warning(outline.document)
    return [warning] if warning else []


def document_record(document: Document) -> dict[str, Any]:
    """A draft as the JSON outline and report name it."""
    return {
        # The file's name, not the folders it was read from: outputs are shared.
        "source": file_name(document.source),
        "title": document.title,
        "date": document.date,
        "format": document.format,
        "sha256": document.sha256,
        "pages": document.pages,
    }


def outline_json(outline: Outline) -> str:
    payload = document_record(outline.document) | {
        "profile": outline.profile,
        "provisions": [provision_record(p) for p in outline.provisions],
        "warnings": outline_warnings(outline),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _snippet(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def render_outline(outline: Outline, output_format: str) -> str:
    if output_format == "json":
        return outline_json(outline)
    template = environment().get_template(f"outline.{'html' if output_format == 'html' else 'txt'}")
    return template.render(outline=outline, snippet=_snippet, warnings=outline_warnings(outline))
