"""The Jinja2 environment: templates from ``templates/``, HTML autoescaped."""

from __future__ import annotations

from pathlib import Path

import jinja2


def templates_dir() -> Path:
    """``cop_diff/templates`` inside a wheel; the top-level ``templates/`` in a checkout."""
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "templates"


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
