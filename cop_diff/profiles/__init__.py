"""Numbering profiles: how a family of documents numbers its provisions, as data.

A profile is a TOML file with ``[[levels]]``: a regular expression for the headings of
one kind of provision ("Commitment II.13. Title"), its rank in the tree and whether its
text binds. ``common.toml`` holds the words that mark non-binding and recital headings.
Users can bring their own profile files (``--profile FILE``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from cop_diff.errors import InputError


@dataclass(frozen=True)
class Level:
    """One kind of numbered heading in a profile."""

    kind: str
    rank: int
    """0 for parts and chapters, 1 for commitments, 2 for measures, ..."""
    pattern: re.Pattern[str]
    """Matches the whole heading; groups ``number`` (optional) and ``heading``."""
    label: str
    """Label template, e.g. "Commitment {number}"."""
    binding: bool = False


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    levels: tuple[Level, ...]
    operative_by_default: bool = False
    """Whether text outside any binding level binds (true for acts, false for codes)."""

    def match(self, heading: str) -> tuple[Level, re.Match[str]] | None:
        for level in self.levels:
            found = level.pattern.match(heading)
            if found:
                return level, found
        return None


GENERIC = Profile(
    name="generic",
    description="No recognisable numbering: headings and paragraphs",
    levels=(),
    operative_by_default=True,
)


@dataclass(frozen=True)
class Vocabulary:
    """Heading words shared by all profiles."""

    non_binding_headings: tuple[re.Pattern[str], ...]
    recital_headings: tuple[re.Pattern[str], ...]
    non_binding_items: tuple[re.Pattern[str], ...] = ()

    def is_non_binding_item(self, text: str) -> bool:
        return any(p.match(text) for p in self.non_binding_items)

    def is_non_binding(self, heading: str) -> bool:
        return any(p.match(heading) for p in self.non_binding_headings)

    def is_recital(self, heading: str) -> bool:
        return any(p.match(heading) for p in self.recital_headings)


def _read_toml(path: Path | resources.abc.Traversable) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"not a valid profile file: {error}", path=str(path)) from error


def parse_profile(data: dict[str, object], source: str) -> Profile:
    try:
        levels = tuple(
            Level(
                kind=str(level["kind"]),
                rank=int(level["rank"]),
                pattern=re.compile(str(level["pattern"])),
                label=str(level.get("label", "{number}")),
                binding=bool(level.get("binding", False)),
            )
            for level in data["levels"]  # type: ignore[attr-defined]
        )
        return Profile(
            name=str(data["name"]),
            description=str(data.get("description", "")),
            levels=levels,
            operative_by_default=bool(data.get("operative_by_default", False)),
        )
    except (KeyError, TypeError, ValueError, re.error) as error:
        raise InputError(f"bad profile ({type(error).__name__}: {error})", path=source) from error


def builtin_profiles() -> tuple[Profile, ...]:
    folder = resources.files(__package__)
    return tuple(
        parse_profile(_read_toml(entry), entry.name)
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml") and entry.name != "common.toml"
    )


def load_profiles(extra: tuple[Path, ...] = ()) -> tuple[Profile, ...]:
    """The built-in profiles, preceded by any the user gave (theirs win ties)."""
    return tuple(parse_profile(_read_toml(p), str(p)) for p in extra) + builtin_profiles()


def load_vocabulary() -> Vocabulary:
    data = _read_toml(resources.files(__package__) / "common.toml")

    def patterns(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in data[key])  # type: ignore[attr-defined]

    return Vocabulary(
        patterns("non_binding_headings"),
        patterns("recital_headings"),
        patterns("non_binding_items") if "non_binding_items" in data else (),
    )
