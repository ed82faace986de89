"""A cache of analyses, so that re-running a comparison skips alignment and detection.

Re-rendering a comparison in another format, or re-running it after editing a lexicon,
should be instant: alignment and word diffs depend only on the two outlines and the
alignment settings; findings also depend on the lexicon. Each is an entry of its own
under the extraction cache's folder (``analysis/``), keyed by:

- the SHA-256 of both outlines (every field of every provision, and the file's hash),
  so a change in extraction, segmentation or numbering profiles is a new key;
- the alignment settings and, for findings, the lexicon's fingerprint;
- a fingerprint of the package's own code and data files, and the versions of the
  libraries it computes with (numpy, diff-match-patch, the stemmers), so that no
  edit to the aligner or a detector, and no upgrade, can ever be answered from an entry
  made before it.

Entries are versioned JSON (never pickle), written atomically; an unreadable or corrupt
entry is ignored and rebuilt, like an extraction entry.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import fields, replace
from functools import cache
from pathlib import Path
from typing import Any

from cop_diff import __version__
from cop_diff.cache import cache_dir, read_entry, write_entry
from cop_diff.model import Alignment, AlignSettings, DiffOp, Finding, Outline, PairDiff, Provision
from cop_diff.versions import installed_versions

ALIGNED_SCHEMA = "cop-diff/aligned/1"
FINDINGS_SCHEMA = "cop-diff/findings/2"
_PACKAGE = Path(__file__).resolve().parent
_CODE_SUFFIXES = (".py", ".toml")
_ANALYSIS_LIBRARIES = frozenset(
    {"numpy", "lap", "fast_diff_match_patch", "diff_match_patch", "snowballstemmer", "pystemmer"}
)
"""Distribution names (``versions.canonical``) of the libraries whose output the analysis
depends on."""
_PROVISION_FIELDS = tuple(f.name for f in fields(Provision))


@cache
def code_fingerprint(package: Path = _PACKAGE) -> str:
    """SHA-256 of every source and data file of the package, by path and content."""
    files = []
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        files += [Path(folder, name) for name in names if name.endswith(_CODE_SUFFIXES)]
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def dependency_versions() -> tuple[str, ...]:
    """The installed distributions ("numpy-1.26.4") of the libraries whose results the
    analysis depends on."""
    versions = installed_versions()
    return tuple(
        sorted(f"{name}-{versions[name]}" for name in _ANALYSIS_LIBRARIES & versions.keys())
    )


def outline_digest(outline: Outline) -> str:
    """SHA-256 of everything the analysis reads of an outline: every provision field."""
    rows = [[getattr(p, name) for name in _PROVISION_FIELDS] for p in outline.provisions]
    header = [outline.document.sha256, outline.profile]
    text = json.dumps([header, rows], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _digest(parts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def aligned_key(old: Outline, new: Outline, settings: AlignSettings) -> str:
    """The entry name of the alignment and word diffs of ``old`` -> ``new``."""
    code = (__version__, code_fingerprint(), *dependency_versions())
    parts = (ALIGNED_SCHEMA, *code, repr(settings), outline_digest(old), outline_digest(new))
    return _digest(parts)


def findings_key(aligned: str, lexicon_fingerprint: str) -> str | None:
    """The entry name of the findings; ``None`` for a lexicon of unknown content."""
    if not lexicon_fingerprint:
        return None
    return _digest((FINDINGS_SCHEMA, aligned, lexicon_fingerprint))


def _path(key: str) -> Path:
    return cache_dir() / "analysis" / f"{key}.json"


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _loads(key: str, schema: str) -> dict[str, Any] | None:
    text = read_entry(_path(key))
    if text is None:
        return None
    try:
        raw = json.loads(text)
    except ValueError:
        return None
    return raw if isinstance(raw, dict) and raw.get("schema") == schema else None


# --- alignment and diffs --------------------------------------------------------------------


def store_aligned(key: str, alignment: tuple[Alignment, ...], diffs: tuple[PairDiff, ...]) -> bool:
    entry = {
        "schema": ALIGNED_SCHEMA,
        "alignment": [[a.old, a.new, a.relation, a.score] for a in alignment],
        "diffs": [[d.old, d.new, [[op.op, op.text] for op in d.ops]] for d in diffs],
    }
    return write_entry(_path(key), _dumps(entry))


def load_aligned(key: str) -> tuple[tuple[Alignment, ...], tuple[PairDiff, ...]] | None:
    """The cached alignment and diffs; ``None`` if absent, unreadable or corrupt."""
    raw = _loads(key, ALIGNED_SCHEMA)
    if raw is None:
        return None
    try:
        alignment = tuple(
            Alignment(old, new, relation, float(score))
            for old, new, relation, score in raw["alignment"]
        )
        diffs = tuple(
            PairDiff(old, new, tuple(DiffOp(op, text) for op, text in ops))
            for old, new, ops in raw["diffs"]
        )
    except (KeyError, TypeError, ValueError):
        return None
    return alignment, diffs


# --- findings -------------------------------------------------------------------------------

_FINDING_FIELDS = tuple(f.name for f in fields(Finding))
"""In the order ``Finding`` takes them."""


def store_findings(key: str, findings: tuple[Finding, ...]) -> bool:
    rows = [[getattr(f, name) for name in _FINDING_FIELDS] for f in findings]
    return write_entry(_path(key), _dumps({"schema": FINDINGS_SCHEMA, "findings": rows}))


def load_findings(key: str) -> tuple[Finding, ...] | None:
    """The cached findings; ``None`` if absent, unreadable or corrupt."""
    raw = _loads(key, FINDINGS_SCHEMA)
    if raw is None:
        return None
    rows = raw.get("findings")
    if not isinstance(rows, list) or any(
        not isinstance(row, list) or len(row) != len(_FINDING_FIELDS) for row in rows
    ):
        return None
    # JSON has no tuples: the one tuple field comes back as a list.
    return tuple(replace(f, elsewhere=tuple(f.elsewhere)) for f in (Finding(*row) for row in rows))
