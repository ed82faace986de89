"""Lexicons: the words the detectors look for, as data (``cop_diff/lexicons/*.toml``).

A user file (``--lexicon FILE``) extends the built-in lists, or replaces them when it
says ``replace = true``; other languages and other documents bring their own words.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from cop_diff.errors import InputError


def _compile(patterns: list[str]) -> re.Pattern[str]:
    """One alternation, longest first, on word boundaries, case-insensitive."""
    ordered = sorted(set(patterns), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(ordered) + r")(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True, eq=False)
class Lexicon:
    language: str
    stemmer: str
    """Snowball stemmer name ("english", "french", "german", ...)."""
    modals: tuple[tuple[int, re.Pattern[str]], ...]
    """(strength, pattern), strongest first: 3 duty, 2 expectation, 1 permission."""
    any_modal: re.Pattern[str]
    """Every modal phrase of any strength, in one pattern."""
    weak_verbs: re.Pattern[str]
    descriptive: re.Pattern[str]
    duty_bearers: re.Pattern[str]
    removal_notes: tuple[re.Pattern[str], ...]
    """How drafters' notes say a duty was dropped; group ``what`` is the duty."""
    note_stops: tuple[str, ...]
    """Sentences about the text itself, in which no modal binds."""
    hedges: re.Pattern[str]
    hedge_fillers: frozenset[str]
    """Words that only join a hedge ("where", "this", "is"); the rest identify it."""
    example_leads: re.Pattern[str]
    """How a list is introduced as mere examples."""
    exemptions: re.Pattern[str]
    exempt_classes: re.Pattern[str]
    condition_openers: re.Pattern[str]
    """How a conditional or limiting clause opens ("where", "to the extent", ...)."""
    limiting: re.Pattern[str]
    purpose_openers: re.Pattern[str]
    relief: re.Pattern[str]
    """Phrases that lighten a duty: alternatives, presumptions, delays, exemptions."""
    stop_words: frozenset[str]
    for_consideration: re.Pattern[str]
    """How a non-binding list is offered for consideration (heading or lead-in)."""
    narrowed_bearers: re.Pattern[str]
    provision_citations: re.Pattern[str]
    """A citation of one article of a legal act ("Article 53(2)")."""
    """Words before a modal that bind only some of the duty bearers ("Only large ...")."""
    wide_scope: frozenset[str]
    narrow_scope: frozenset[str]
    references: tuple[re.Pattern[str], ...]
    reference_aliases: dict[str, str]
    """Short name (lower case) -> the instrument's numbered citation."""
    time_units: dict[str, float]
    quantity: re.Pattern[str]
    """A number and a unit of time, or a percentage: groups ``value`` and ``unit``."""
    deadline_context: re.Pattern[str]
    retention_context: re.Pattern[str]
    number_words: dict[str, float]
    fingerprint: str = ""
    """SHA-256 of the lexicon's data, for the analysis cache; "" (never cached) when the
    lexicon was not loaded from data."""
    # Hashed by identity (eq=False): the readings of a sentence are memoised per lexicon.


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Lists are extended, tables merged, scalars replaced."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = merged[key] + value
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read(path: Path | Any) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"not a valid lexicon file: {error}", path=str(path)) from error


def load_lexicon(extra: tuple[Path, ...] = ()) -> Lexicon:
    data = _read(resources.files("cop_diff") / "lexicons" / "en.toml")
    for path in extra:
        user = _read(path)
        data = user if user.pop("replace", False) else _merge(data, user)
    try:
        return replace(_build(data), fingerprint=_fingerprint(data))
    except (KeyError, TypeError, ValueError, re.error) as error:
        source = str(extra[-1]) if extra else "built-in lexicon"
        raise InputError(f"bad lexicon ({type(error).__name__}: {error})", path=source) from error


def _fingerprint(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _quantity(units: dict[str, Any], words: dict[str, Any]) -> re.Pattern[str]:
    """Digits or a number word, then a unit: only those words are tried as numbers, which
    keeps the search fast on long texts."""

    def alternation(items: dict[str, Any]) -> str:
        return "|".join(map(re.escape, sorted((str(i).lower() for i in items), key=len)[::-1]))

    return re.compile(
        rf"\b(?P<value>\d+(?:[.,]\d+)?|{alternation(words)})\s*(?:\(\d+\)\s*)?"
        rf"(?P<unit>(?:{alternation(units)}|per ?cent)\b|%)",
        re.IGNORECASE,
    )


def _build(data: dict[str, Any]) -> Lexicon:
    modals = tuple(
        (int(strength), _compile(list(patterns)))
        for strength, patterns in sorted(data["modals"].items(), key=lambda kv: -int(kv[0]))
    )
    numbers = data["numbers"]
    return Lexicon(
        language=str(data.get("language", "en")),
        stemmer=str(data.get("stemmer", "english")),
        modals=modals,
        any_modal=_compile([p for patterns in data["modals"].values() for p in patterns]),
        weak_verbs=_compile(data["weak_verbs"]),
        descriptive=_compile(data.get("descriptive", ["(?!x)x"])),
        duty_bearers=_compile(data.get("duty_bearers", ["\\w+"])),
        removal_notes=tuple(re.compile(p, re.IGNORECASE) for p in data.get("removal_notes", [])),
        note_stops=tuple(data.get("note_stops", [])),
        hedges=_compile(data["hedges"]),
        hedge_fillers=frozenset(w.lower() for w in data.get("hedge_fillers", [])),
        example_leads=_compile(data.get("example_leads", ["(?!x)x"])),
        exemptions=_compile(data["exemptions"]),
        exempt_classes=_compile(data["exempt_classes"]),
        condition_openers=_compile(data.get("condition_openers", ["(?!x)x"])),
        limiting=_compile(data.get("limiting", ["(?!x)x"])),
        purpose_openers=_compile(data.get("purpose_openers", ["(?!x)x"])),
        relief=_compile(data.get("relief", ["(?!x)x"])),
        stop_words=frozenset(w.lower() for w in data.get("stop_words", [])),
        for_consideration=_compile(data.get("for_consideration", ["(?!x)x"])),
        narrowed_bearers=_compile(data.get("narrowed_bearers", ["(?!x)x"])),
        provision_citations=_compile(data.get("provision_citations", ["(?!x)x"])),
        wide_scope=frozenset(w.lower() for w in data["scope"]["wide"]),
        narrow_scope=frozenset(w.lower() for w in data["scope"]["narrow"]),
        references=tuple(re.compile(p) for p in data["references"]["patterns"]),
        reference_aliases={
            str(k).lower(): str(v) for k, v in data["references"].get("aliases", {}).items()
        },
        time_units={str(k).lower(): float(v) for k, v in numbers["time_units"].items()},
        quantity=_quantity(numbers["time_units"], numbers["number_words"]),
        deadline_context=_compile(numbers["deadline_context"]),
        retention_context=_compile(numbers["retention_context"]),
        number_words={str(k).lower(): float(v) for k, v in numbers["number_words"].items()},
    )
