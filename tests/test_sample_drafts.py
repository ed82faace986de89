"""The bundled sample drafts: the same tree whether read from the PDF or its Markdown source."""

from __future__ import annotations

from pathlib import Path

import pytest

from cop_diff.extract import extract
from cop_diff.segment import segment

DRAFTS = Path(__file__).resolve().parent.parent / "drafts"


@pytest.mark.parametrize("version", [1, 2, 3])
def test_pdf_and_markdown_give_the_same_provisions(version: int) -> None:
    pdf = segment(extract(DRAFTS / f"sample-v{version}.pdf"))
    markdown = segment(extract(DRAFTS / "source" / f"sample-v{version}.md"))
    assert pdf.profile == markdown.profile
    assert [(p.id, p.label, p.kind, p.binding) for p in pdf.provisions] == [
        (p.id, p.label, p.kind, p.binding) for p in markdown.provisions
    ]
    assert [" ".join(p.text.split()) for p in pdf.provisions] == [
        " ".join(p.text.split()) for p in markdown.provisions
    ]


def test_each_version_uses_its_own_numbering() -> None:
    labels = {
        version: [
            p.label
            for p in segment(extract(DRAFTS / f"sample-v{version}.pdf")).provisions
            if p.kind in ("measure", "commitment", "appendix")
        ]
        for version in (1, 2, 3)
    }
    assert labels[1][0] == "Measure 1"
    assert "Commitment 1" in labels[2] and "Measure 1.1" in labels[2]
    assert "Commitment II.1" in labels[3] and "Appendix 1.2" in labels[3]
