"""Shared fixtures: the real drafts in ../shared/drafts, and small PDFs made on the fly."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest

from cop_diff.extract import extract
from cop_diff.extract.pdfengine import PDF_ENGINES, PdfEngineName
from cop_diff.model import Outline
from cop_diff.segment import segment

ROOT = Path(__file__).resolve().parent.parent
SHARED_DRAFTS = ROOT.parent / "shared" / "drafts"


def require_shared_drafts() -> Path:
    """The real drafts folder; skip where it is absent, but fail in CI (CI=true)."""
    if not (SHARED_DRAFTS / "cop-d2.pdf").is_file():
        message = f"{SHARED_DRAFTS} not found: real-draft tests need ../shared/drafts"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return SHARED_DRAFTS


@pytest.fixture(scope="session", autouse=True)
def private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No test reads or writes the user's extraction cache (~/.cache/cop-diff)."""
    folder = tmp_path_factory.mktemp("cop-diff-cache")
    before = os.environ.get("COP_DIFF_CACHE_DIR")
    os.environ["COP_DIFF_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("COP_DIFF_CACHE_DIR", None)
    else:
        os.environ["COP_DIFF_CACHE_DIR"] = before


@pytest.fixture(params=PDF_ENGINES)
def pdf_engine(request: pytest.FixtureRequest) -> PdfEngineName:
    """Each PDF engine in turn: a test taking this runs once with pdfium, once with pdfminer."""
    engine: PdfEngineName = request.param
    return engine


@pytest.fixture(scope="session")
def shared_drafts() -> Path:
    return require_shared_drafts()


@cache
def _outline(path: str) -> Outline:
    return segment(extract(Path(path)))


@pytest.fixture(scope="session")
def real_outline(shared_drafts: Path) -> Callable[[str], Outline]:
    """Outline of a real draft by file name, computed once per session."""

    def get(name: str) -> Outline:
        return _outline(str(shared_drafts / name))

    return get
