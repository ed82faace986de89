"""Planted edits for measuring the detectors: variants of an outline with one known edit.

Why: gold annotations cover a few real drafts and cannot grow fast; an edit planted in
a real draft has a direction known by construction, on any provision that can carry it.
Each planted edit weakens when applied old -> new, so the same pair swapped (mutated ->
original) is a strengthening: both directions are tested with one edit. Neutral edits
(spelling, renumbering, reordering) test that the detectors stay quiet when nothing of
substance changed.

Everything here is a pure function of an ``Outline``, a seed and the phrase pools of
``mutations.toml``. The pools are written for the harness and never read from the
detectors' lexicon: a harness that echoed the lexicon would only measure it against itself.
"""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from cop_diff.model import Outline, Provision

Expected = Literal["weakening", "strengthening", "none"]

PLANTED: tuple[str, ...] = (
    "modal-softened",
    "qualifier-added",
    "exemption-added",
    "duty-sentence-removed",
    "provision-removed",
    "list-item-removed",
    "number-changed",
    "quantity-removed",
    "moved-to-box",
)
"""Edits that weaken the original (old -> mutated); swapped, they strengthen."""

NEUTRAL: tuple[str, ...] = (
    "modal-synonym",
    "spelling",
    "synonym",
    "list-reordered",
    "renumbered",
    "sentences-swapped",
    "punctuation",
)
"""Edits that keep the meaning: a detector that reports them is wrong."""

KINDS: tuple[str, ...] = PLANTED + NEUTRAL

PHRASES_FILE = Path(__file__).with_name("mutations.toml")
REMOVABLE_KINDS = frozenset({"commitment", "measure", "sub-measure"})
"""Provisions whose removal (with their children) is a removed measure or commitment."""
RENUMBERED_KINDS = REMOVABLE_KINDS
BOX_KIND = "recital-box"
BOX_LABEL = "Potential material for future Recital"
UNIT_NAMES = {"commitment": "Commitment", "measure": "Measure", "sub-measure": "Sub-Measure"}
"""How a provision names itself in an exemption ("This Measure ..."); others: "point"."""


@dataclass(frozen=True)
class Mutation:
    """One planted edit, as the harness scores it."""

    kind: str
    expected: Expected
    """What ``compare(original, mutated)`` should report; swapped, the opposite."""
    provision_id: str
    """The edited provision, as it is in the original outline."""
    description: str
    mutated_id: str | None
    """The same provision in the mutated outline: ``None`` where it was removed."""


@dataclass(frozen=True)
class Variant:
    mutation: Mutation
    outline: Outline


@dataclass(frozen=True)
class Phrases:
    """The phrase pools of ``mutations.toml``."""

    bearers: tuple[str, ...]
    singular: frozenset[str]
    strong: tuple[str, ...]
    not_after: tuple[str, ...]
    soften_base: tuple[str, ...]
    soften_gerund: tuple[str, ...]
    hedges: tuple[str, ...]
    exemption_sentences: tuple[str, ...]
    exemption_clauses: tuple[str, ...]
    providers: tuple[str, ...]
    models: tuple[str, ...]
    conditions: tuple[str, ...]
    alternatives: tuple[str, ...]
    situations: tuple[str, ...]
    vague: dict[str, tuple[str, ...]]
    """Period role -> what replaces a removed fixed period ("" drops it)."""
    factors: tuple[int, ...]
    spellings: tuple[tuple[str, str], ...]
    synonyms: tuple[tuple[str, str], ...]
    anaphora: tuple[str, ...]
    back_words: frozenset[str]
    example_leads: tuple[str, ...]


def load_phrases(path: Path = PHRASES_FILE) -> Phrases:
    """Read the phrase pools; ``default_phrases`` keeps the packaged ones."""
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    duty, soften, exemption = data["duty"], data["soften"], data["exemption"]
    quantity, neutral = data["quantity"], data["neutral"]

    def pairs(rows: list[list[str]]) -> tuple[tuple[str, str], ...]:
        return tuple((a, b) for a, b in rows if a != b)

    return Phrases(
        bearers=tuple(duty["bearers"]),
        singular=frozenset(duty["singular"]),
        strong=tuple(duty["strong"]),
        not_after=tuple(duty["not_after"]),
        soften_base=tuple(soften["base"]),
        soften_gerund=tuple(soften["gerund"]),
        hedges=tuple(data["hedge"]["phrases"]),
        exemption_sentences=tuple(exemption["sentences"]),
        exemption_clauses=tuple(exemption["clauses"]),
        providers=tuple(exemption["providers"]),
        models=tuple(exemption["models"]),
        conditions=tuple(exemption["conditions"]),
        alternatives=tuple(exemption["alternatives"]),
        situations=tuple(exemption["situations"]),
        vague={role: tuple(quantity[role]) for role in ("frequency", "deadline", "retention")},
        factors=tuple(int(f) for f in quantity["factors"]),
        spellings=pairs(neutral["spellings"]),
        synonyms=pairs(neutral["synonyms"]),
        anaphora=tuple(neutral["anaphora"]),
        back_words=frozenset(neutral["back_words"]),
        example_leads=tuple(neutral["example_leads"]),
    )


@cache
def default_phrases() -> Phrases:
    return load_phrases()


# Sentences: the unit most edits work on, found with the harness's own splitter.

_ABBREVIATIONS = frozenset({"e.g.", "i.e.", "etc.", "cf.", "no.", "art.", "para.", "vs.", "incl."})
_NOT_AN_END = re.compile(r"\(?(?:[A-Za-z]|\d{1,3}(?:\.\d+)*|[ivx]{1,4}|[IVX]{1,4})\)?\.")
"""A full stop after an initial, or after a number or numeral that opens a clause (an
enumeration: "...: 1. Keep"), ends nothing; after "Article 5." it does."""
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?=\s+[\"“‘(]?[A-Z])|\n\s*\n")


def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence of ``text``; paragraph breaks end sentences too.

    A full stop after an abbreviation ("e.g."), an initial or an enumerator ends nothing.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().strip():
            words = text[: match.end()].split()
            last = words[-1] if words else ""
            opens = len(words) < 2 or words[-2][-1] in ".:;"
            if last.lower() in _ABBREVIATIONS or (
                _NOT_AN_END.fullmatch(last) and (opens or last[0].isalpha())
            ):
                continue
            end = match.end()
        else:
            end = match.start()
        _add_span(text, spans, start, end)
        start = match.end()
    _add_span(text, spans, start, len(text))
    return tuple(spans)


def _add_span(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    piece = text[start:end]
    if piece.strip():
        left = start + len(piece) - len(piece.lstrip())
        spans.append((left, left + len(piece.strip())))


def sentences(text: str) -> tuple[str, ...]:
    return tuple(text[a:b] for a, b in sentence_spans(text))


# Duties: a bearer followed by a strong modal, found with the harness's own pattern.


def _duty_pattern(phrases: Phrases) -> re.Pattern[str]:
    return _compile_duty(phrases.bearers, phrases.strong, phrases.not_after)


@cache
def _compile_duty(
    bearers: tuple[str, ...], strong: tuple[str, ...], not_after: tuple[str, ...]
) -> re.Pattern[str]:
    def alternation(items: Sequence[str]) -> str:
        return "|".join(re.escape(i) for i in sorted(items, key=len, reverse=True))

    return re.compile(
        rf"(?<![\w-])(?P<bearer>{alternation(bearers)})(?![\w-])"
        r"(?P<gap>\s*,[^,.;:]{1,160},)?\s+(?:(?:also|further|hereby|then|therefore)\s+)?"
        rf"(?P<modal>{alternation(strong)})(?![\w-])"
        rf"(?!\s+(?:{alternation(not_after)})\b)"
    )


def duty(sentence: str, phrases: Phrases) -> re.Match[str] | None:
    """The first bearer-and-modal of a sentence ("Signatories shall"), if it has one."""
    return _duty_pattern(phrases).search(sentence)


def _singular(found: re.Match[str], phrases: Phrases) -> bool:
    return found["bearer"] in phrases.singular or found["modal"].split()[0] in {
        "commits",
        "undertakes",
        "is",
    }


def _agree(phrase: str, singular: bool) -> str:
    return phrase.replace("{be}", "is" if singular else "are").replace(
        "{s}", "s" if singular else ""
    )


# Outline surgery: every mutated outline keeps unique ids and parents before children.


def subtree(outline: Outline, provision_id: str) -> tuple[Provision, ...]:
    """The provision and all its descendants, in document order."""
    inside = {provision_id}
    result = []
    for provision in outline.provisions:
        if provision.id == provision_id or provision.parent in inside:
            inside.add(provision.id)
            result.append(provision)
    return tuple(result)


def well_formed(outline: Outline) -> bool:
    """Unique ids, and every parent before its children."""
    seen: set[str] = set()
    for provision in outline.provisions:
        if provision.id in seen or (provision.parent is not None and provision.parent not in seen):
            return False
        seen.add(provision.id)
    return True


def _with_provisions(outline: Outline, provisions: Sequence[Provision]) -> Outline:
    return replace(outline, provisions=tuple(provisions))


def _retext(outline: Outline, provision_id: str, text: str, old: str, new: str) -> Outline:
    """The provision with ``text``; its children's lead-ins follow the edit ``old`` -> ``new``
    (a lead-in is a copy of the sentence that introduced the list)."""
    provisions = []
    for provision in outline.provisions:
        if provision.id == provision_id:
            provision = replace(provision, text=text)
        elif (
            provision.parent == provision_id
            and provision.lead_in
            and old
            and old in provision.lead_in
        ):
            provision = replace(provision, lead_in=provision.lead_in.replace(old, new, 1))
        provisions.append(provision)
    return _with_provisions(outline, provisions)


def _edit_sentence(outline: Outline, provision: Provision, index: int, new: str) -> Outline:
    """Sentence ``index`` of the provision replaced by ``new`` ("" removes it)."""
    text = provision.text
    spans = sentence_spans(text)
    start, end = spans[index]
    old = text[start:end]
    if new:
        return _retext(outline, provision.id, text[:start] + new + text[end:], old, new)
    before = spans[index - 1][1] if index > 0 else None
    after = spans[index + 1][0] if index + 1 < len(spans) else None
    if after is not None and "\n" not in text[end:after]:
        cut = (start, after)  # the sentence and the space after it
    elif before is not None:
        cut = (before, end)  # last of its paragraph: the space before it goes
    elif after is not None:
        cut = (start, after)
    else:
        cut = (0, len(text))
    return _retext(outline, provision.id, text[: cut[0]] + text[cut[1] :], old, "")


def _tidy(sentence: str, capital: bool) -> str:
    """Spacing and punctuation left ragged by a deletion, within one sentence; ``capital``
    if the sentence began with a capital letter before."""
    sentence = re.sub(r"\(\s*\)", "", sentence)
    sentence = re.sub(r"[ \t]{2,}", " ", sentence)
    sentence = re.sub(r",\s*(?:and|or)?\s*(?=[.;:])", "", sentence)
    sentence = re.sub(r",(\s*,)+", ",", sentence)
    sentence = re.sub(r"\s+([,.;:)])", r"\1", sentence)
    sentence = re.sub(r"^[\s,]+", "", sentence)
    return sentence[:1].upper() + sentence[1:] if capital else sentence


# Sites: where an edit of a kind can go. Each kind lists its sites in document order; the
# seeded generator picks among them, one edit per provision.


@dataclass(frozen=True)
class Site:
    provision: str
    sentence: int = -1
    """Index in ``sentence_spans`` of the provision's text, where the edit is in one."""
    start: int = -1
    """Where in the sentence (or text) the edit goes, for kinds that need it."""
    end: int = -1


SiteFinder = Callable[[Outline, Phrases], list[Site]]
Editor = Callable[[Outline, Site, random.Random, Phrases], Variant | None]


def _binding(outline: Outline) -> list[Provision]:
    return [p for p in outline.provisions if p.binding and p.text.strip()]


def _duty_sites(outline: Outline, phrases: Phrases) -> list[Site]:
    """Sentences of binding text in which a bearer is followed by a strong modal."""
    sites = []
    for provision in _binding(outline):
        for index, sentence in enumerate(sentences(provision.text)):
            found = duty(sentence, phrases)
            if found:
                sites.append(Site(provision.id, index, found.start("modal"), found.end("modal")))
    return sites


def _closed(sentence: str) -> bool:
    """A sentence that ends with a full stop: something can be appended to it."""
    return sentence.endswith(".") and not sentence.endswith("..")


def _sentence(outline: Outline, site: Site) -> tuple[Provision, str]:
    provision = outline.by_id(site.provision)
    return provision, sentences(provision.text)[site.sentence]


def _quote(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _variant(
    kind: str, expected: Expected, outline: Outline, site: Site, description: str
) -> Variant:
    mutation = Mutation(kind, expected, site.provision, description, site.provision)
    return Variant(mutation, outline)


def _soften(outline: Outline, site: Site, rng: random.Random, phrases: Phrases) -> Variant | None:
    provision, sentence = _sentence(outline, site)
    found = duty(sentence, phrases)
    if found is None:
        return None
    modal = found["modal"]
    following = re.match(r"\s+(\w+)", sentence[found.end() :])
    gerund = modal.split()[0] in {"commit", "commits", "undertake", "undertakes"} and bool(
        following and following.group(1).endswith("ing")
    )
    softer = _agree(
        rng.choice(phrases.soften_gerund if gerund else phrases.soften_base),
        _singular(found, phrases),
    )
    new = sentence[: found.start("modal")] + softer + sentence[found.end("modal") :]
    return _variant(
        "modal-softened",
        "weakening",
        _edit_sentence(outline, provision, site.sentence, new),
        site,
        f'"{modal}" -> "{softer}" in "{_quote(sentence)}"',
    )


def _hedge(outline: Outline, site: Site, rng: random.Random, phrases: Phrases) -> Variant | None:
    provision, sentence = _sentence(outline, site)
    found = duty(sentence, phrases)
    if found is None:
        return None
    hedge = rng.choice(phrases.hedges)
    places = ["after-modal"]
    if found.start("bearer") == 0 and found["bearer"][:1].isupper():
        places.append("start")
    if _closed(sentence):
        places.append("end")
    place = rng.choice(places)
    if place == "start":
        new = f"{hedge[:1].upper()}{hedge[1:]}, {sentence}"
    elif place == "end":
        new = f"{sentence[:-1].rstrip()}, {hedge}."
    else:
        words = found["modal"].split()
        # "commit to doing" -> "commit, where appropriate, to doing"
        at = found.start("modal") + len(words[0]) if len(words) > 1 else found.end("modal")
        if len(words) == 3:  # "are required to"
            at = found.start("modal") + len(" ".join(words[:2]))
        rest = sentence[at:]
        new = sentence[:at] + (f", {hedge}" if rest.startswith(",") else f", {hedge},") + rest
    return _variant(
        "qualifier-added",
        "weakening",
        _edit_sentence(outline, provision, site.sentence, new),
        site,
        f'"{hedge}" added ({place}) to "{_quote(sentence)}"',
    )


def _fill(template: str, provision: Provision, rng: random.Random, phrases: Phrases) -> str:
    """An exemption template with its placeholders drawn from the pools."""
    providers = rng.choice(phrases.providers)
    values = {
        "providers": providers,
        "Providers": providers[:1].upper() + providers[1:],
        "models": rng.choice(phrases.models),
        "condition": rng.choice(phrases.conditions),
        "alternative": rng.choice(phrases.alternatives),
        "situation": rng.choice(phrases.situations),
    }
    for _ in range(2):  # an alternative may name the unit
        template = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)
        values["unit"] = UNIT_NAMES.get(provision.kind, "point")
    return template


def _exempt(outline: Outline, site: Site, rng: random.Random, phrases: Phrases) -> Variant | None:
    provision, sentence = _sentence(outline, site)
    if not _closed(sentence):
        return None
    if rng.random() < 0.6:
        added = _fill(rng.choice(phrases.exemption_sentences), provision, rng, phrases)
        new = f"{sentence} {added}"
    else:
        added = _fill(rng.choice(phrases.exemption_clauses), provision, rng, phrases)
        new = sentence[:-1].rstrip() + added + "."
    return _variant(
        "exemption-added",
        "weakening",
        _edit_sentence(outline, provision, site.sentence, new),
        site,
        f'"{added.strip(" ,")}" added after "{_quote(sentence)}"',
    )


def _removable_duty_sites(outline: Outline, phrases: Phrases) -> list[Site]:
    """Duty sentences that can go without emptying their provision or orphaning a list."""
    sites = []
    for site in _duty_sites(outline, phrases):
        provision, sentence = _sentence(outline, site)
        if sentence.endswith(":") or len(sentence_spans(provision.text)) < 2:
            continue
        sites.append(site)
    return sites


def _drop_duty(
    outline: Outline, site: Site, rng: random.Random, phrases: Phrases
) -> Variant | None:
    provision, sentence = _sentence(outline, site)
    return _variant(
        "duty-sentence-removed",
        "weakening",
        _edit_sentence(outline, provision, site.sentence, ""),
        site,
        f'"{_quote(sentence)}" removed',
    )


def _box_sites(outline: Outline, phrases: Phrases) -> list[Site]:
    """Duty sentences that can move to a box: the provision keeps its heading or other text."""
    sites = []
    for site in _duty_sites(outline, phrases):
        provision, sentence = _sentence(outline, site)
        if sentence.endswith(":"):
            continue
        if len(sentence_spans(provision.text)) >= 2 or provision.heading.strip():
            sites.append(site)
    return sites


def _to_box(outline: Outline, site: Site, rng: random.Random, phrases: Phrases) -> Variant | None:
    """The duty sentence leaves the binding text for a recital box under its provision."""
    provision, sentence = _sentence(outline, site)
    edited = _edit_sentence(outline, provision, site.sentence, "")
    taken = {p.id for p in outline.provisions}
    number = next(
        n for n in range(1, len(taken) + 2) if f"{provision.id}/{BOX_KIND}-{n}" not in taken
    )
    box = Provision(
        id=f"{provision.id}/{BOX_KIND}-{number}",
        label=BOX_LABEL,
        kind=BOX_KIND,
        number=None,
        heading=BOX_LABEL,
        text=sentence,
        parent=provision.id,
        binding=False,
        page=provision.page,
        depth=provision.depth + 1,
    )
    last = subtree(edited, provision.id)[-1].id
    provisions: list[Provision] = []
    for item in edited.provisions:
        provisions.append(item)
        if item.id == last:
            provisions.append(box)
    return _variant(
        "moved-to-box",
        "weakening",
        _with_provisions(edited, provisions),
        site,
        f'"{_quote(sentence)}" moved into a non-binding recital box',
    )


def _has_duty(provisions: Sequence[Provision], phrases: Phrases) -> bool:
    return any(duty(s, phrases) for p in provisions for s in sentences(p.text))


def _provision_sites(outline: Outline, phrases: Phrases) -> list[Site]:
    return [
        Site(p.id)
        for p in outline.provisions
        if p.binding and p.kind in REMOVABLE_KINDS and _has_duty(subtree(outline, p.id), phrases)
    ]


def _without(outline: Outline, provision_id: str) -> Outline:
    gone = {p.id for p in subtree(outline, provision_id)}
    return _with_provisions(outline, [p for p in outline.provisions if p.id not in gone])


def _drop_provision(
    outline: Outline, site: Site, rng: random.Random, phrases: Phrases
) -> Variant | None:
    provision = outline.by_id(site.provision)
    size = len(subtree(outline, provision.id))
    mutation = Mutation(
        "provision-removed",
        "weakening",
        provision.id,
        f"{provision.label} {_quote(provision.heading, 40)!r} removed"
        f" ({provision.kind}, {size} provision{'s' if size > 1 else ''})",
        None,
    )
    return Variant(mutation, _without(outline, provision.id))


_STRONG_WORD = re.compile(r"\b(?:shall|must|will|commits?|undertakes?|required|obliged)\b")


def _list_item_sites(outline: Outline, phrases: Phrases) -> list[Site]:
    """Items of binding lists introduced as duties, not as examples to choose from."""
    by_id = {p.id: p for p in outline.provisions}
    items: dict[str, list[Provision]] = {}
    for provision in outline.provisions:
        if provision.kind == "list-item" and provision.parent:
            items.setdefault(provision.parent, []).append(provision)
    sites = []
    for parent_id, siblings in items.items():
        parent = by_id[parent_id]
        if not parent.binding or len(siblings) < 2:
            continue
        for item in siblings:
            intro = item.lead_in or parent.text or parent.heading
            tail = intro[-200:].lower()
            if not item.binding or not item.text.strip() or not _STRONG_WORD.search(intro):
                continue
            if any(lead in tail for lead in phrases.example_leads):
                continue
            sites.append(Site(item.id))
    return sites


def _drop_item(
    outline: Outline, site: Site, rng: random.Random, phrases: Phrases
) -> Variant | None:
    item = outline.by_id(site.provision)
    mutation = Mutation(
        "list-item-removed",
        "weakening",
        item.id,
        f'item {item.label} "{_quote(item.text)}" removed from {item.parent}',
        None,
    )
    return Variant(mutation, _without(outline, item.id))


# Fixed periods: deadlines and frequencies (longer is weaker), retention (shorter is weaker).

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_WORDS |= {"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15}
_WORDS |= {"twenty": 20, "thirty": 30, "sixty": 60, "ninety": 90}
_NAMES = {value: word for word, value in _WORDS.items()}
_NUMBER = r"(?P<num>\d+|" + "|".join(_WORDS) + ")"
_UNIT = (
    r"(?P<unit>(?:(?:business|working|calendar|flight)\s+)?(?:year|month|week|day|hour|minute)s?)"
)
_PERIODS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "frequency",
        re.compile(
            rf"(?i)\b(?P<phrase>(?:at least\s+)?(?:once\s+)?every\s+{_NUMBER}[\s-]+{_UNIT})\b"
        ),
    ),
    (
        "frequency",
        re.compile(
            r"(?i)\b(?P<phrase>(?:at least\s+)?once\s+(?P<num>a|per|each)\s+(?P<unit>year))\b"
        ),
    ),
    (
        "deadline",
        re.compile(
            r"(?i)\b(?P<phrase>(?:within|no later than|not later than|at the latest|at most)\s+"
            rf"{_NUMBER}\s+{_UNIT})\b"
        ),
    ),
    (
        "retention",
        re.compile(
            r"(?i)\b(?P<phrase>(?:for\s+(?:at least|a (?:minimum )?period of(?: at least)?)"
            rf"|(?:a )?period ending)\s+{_NUMBER}\s+{_UNIT})\b"
        ),
    ),
    (
        "retention",
        re.compile(
            r"(?i)\b(?:retain|retained|kept|keep|store|stored|preserve|preserved)\b[^.;:]{0,80}?"
            rf"\b(?P<phrase>for\s+{_NUMBER}\s+{_UNIT})\b"
        ),
    ),
)
_TAIL = re.compile(
    r"(?:\s+(?:of|after|from|following|since|starting from|counting from)\b[^,;:.()]*)?"
)


@dataclass(frozen=True)
class Period:
    """A fixed period in a sentence and what it does."""

    role: str
    start: int
    end: int
    """The period as written ("at least every six months")."""
    tail: int
    """End of the clause it is counted from ("... of a request"), for removing both."""
    num: tuple[int, int]
    value: int
    unit: tuple[int, int]


def periods(sentence: str) -> tuple[Period, ...]:
    """The fixed periods of a sentence whose role its words make clear, in order."""
    found: list[Period] = []
    for role, pattern in _PERIODS:
        for match in pattern.finditer(sentence):
            start, end = match.span("phrase")
            if any(start < p.end and p.start < end for p in found):
                continue
            number = match["num"].lower()
            value = int(number) if number.isdigit() else _WORDS.get(number, 1)
            tail = _TAIL.match(sentence, end)
            found.append(
                Period(
                    role,
                    start,
                    end,
                    tail.end() if tail else end,
                    match.span("num"),
                    value,
                    match.span("unit"),
                )
            )
    return tuple(sorted(found, key=lambda p: p.start))


def _period_sites(outline: Outline, phrases: Phrases) -> list[Site]:
    sites = []
    for provision in _binding(outline):
        for index, sentence in enumerate(sentences(provision.text)):
            for period in periods(sentence):
                sites.append(Site(provision.id, index, period.start, period.end))
    return sites


def _period_at(outline: Outline, site: Site) -> tuple[Provision, str, Period] | None:
    provision, sentence = _sentence(outline, site)
    for period in periods(sentence):
        if period.start == site.start:
            return provision, sentence, period
    return None


def _say(value: int, as_word: bool) -> str:
    return _NAMES[value] if as_word and value in _NAMES else str(value)


def _change_number(
    outline: Outline, site: Site, rng: random.Random, phrases: Phrases
) -> Variant | None:
    """A period made weaker: a deadline or frequency longer, a retention shorter."""
    located = _period_at(outline, site)
    if located is None:
        return None
    provision, sentence, period = located
    factor = rng.choice(phrases.factors)
    written = sentence[period.num[0] : period.num[1]]
    unit = sentence[period.unit[0] : period.unit[1]]
    if period.role == "retention":
        value = period.value // factor
        if value < 1 or value == period.value:
            return None
    else:
        value = period.value * factor
    if not written.isdigit() and written.lower() in {"a", "per", "each"}:
        number = f"every {_say(value, True)}"  # "once a year" -> "once every two years"
    else:
        number = _say(value, not written.isdigit())
    if value != 1 and not unit.endswith("s"):
        unit += "s"
    elif value == 1 and unit.endswith("s"):
        unit = unit[:-1]
    new = (
        sentence[: period.num[0]]
        + number
        + sentence[period.num[1] : period.unit[0]]
        + unit
        + sentence[period.unit[1] :]
    )
    old_phrase = sentence[period.start : period.end]
    new_phrase = new[period.start : period.end + len(new) - len(sentence)]
    return _variant(
        "number-changed",
        "weakening",
        _edit_sentence(outline, provision, site.sentence, new),
        site,
        f'"{old_phrase}" -> "{new_phrase}" ({period.role})',
    )


def _drop_quantity(
    outline: Outline, site: Site, rng: random.Random, phrases: Phrases
) -> Variant | None:
    """A fixed period dropped, or replaced by a vague word ("regularly", "promptly")."""
    located = _period_at(outline, site)
    if located is None:
        return None
    provision, sentence, period = located
    vague = rng.choice(phrases.vague[period.role])
    new = _tidy(sentence[: period.start] + vague + sentence[period.tail :], sentence[0].isupper())
    if not new.strip(" .;:") or new == sentence:
        return None
    removed = sentence[period.start : period.tail]
    return _variant(
        "quantity-removed",
        "weakening",
        _edit_sentence(outline, provision, site.sentence, new),
        site,
        f'"{_quote(removed)}" ' + (f'-> "{vague}"' if vague else "dropped"),
    )


# Neutral edits.


def _modal_sites(outline: Outline, phrases: Phrases) -> list[Site]:
    return [
        Site(p.id, i)
        for p in _binding(outline)
        for i, s in enumerate(sentences(p.text))
        if re.search(r"\b(?:shall|must)\b", s)
    ]


def _swap_modal(
    outline: Outline, site: Site, rng: random.Random, phrases: Phrases
) -> Variant | None:
    provision, sentence = _sentence(outline, site)
    new = re.sub(
        r"\b(shall|must)\b", lambda m: "must" if m.group(1) == "shall" else "shall", sentence
    )
    return _variant(
        "modal-synonym",
        "none",
        _edit_sentence(outline, provision, site.sentence, new),
        site,
        f'shall <-> must in "{_quote(sentence)}"',
    )


def _word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)


def _same_case(found: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if found[:1].isupper() else replacement


def _spelling_sites(outline: Outline, phrases: Phrases) -> list[Site]:
    words = [w for pair in phrases.spellings for w in pair]
    return [Site(p.id) for p in _binding(outline) if any(_word(w).search(p.text) for w in words)]


def _respell(outline: Outline, site: Site, rng: random.Random, phrases: Phrases) -> Variant | None:
    """One spelling swapped for its other variety, everywhere in the provision."""
    provision = outline.by_id(site.provision)
    swaps = [(a, b) for pair in phrases.spellings for a, b in (pair, pair[::-1])]
    present = [(a, b) for a, b in swaps if _word(a).search(provision.text)]
    if not present:
        return None
    before, after = rng.choice(present)

    def swap(text: str) -> str:
        return _word(before).sub(lambda m: _same_case(m.group(), after), text)

    edited = [
        replace(p, text=swap(p.text))
        if p.id == provision.id
        else replace(p, lead_in=swap(p.lead_in))
        if p.parent == provision.id and p.lead_in
        else p
        for p in outline.provisions
    ]
    return _variant(
        "spelling",
        "none",
        _with_provisions(outline, edited),
        site,
        f'"{before}" -> "{after}"',
    )


def _synonym_sites(outline: Outline, phrases: Phrases) -> list[Site]:
    return [
        Site(p.id, i)
        for p in _binding(outline)
        for i, s in enumerate(sentences(p.text))
        if any(_word(wordy).search(s) for wordy, _ in phrases.synonyms)
    ]


def _reword(outline: Outline, site: Site, rng: random.Random, phrases: Phrases) -> Variant | None:
    provision, sentence = _sentence(outline, site)
    present = [(a, b) for a, b in phrases.synonyms if _word(a).search(sentence)]
    if not present:
        return None
    wordy, plain = rng.choice(present)
    new = _word(wordy).sub(lambda m: _same_case(m.group(), plain), sentence, count=1)
    return _variant(
        "synonym",
        "none",
        _edit_sentence(outline, provision, site.sentence, new),
        site,
        f'"{wordy}" -> "{plain}" in "{_quote(sentence)}"',
    )


_ITEM_END = re.compile(r"(?:\s*[;,.]?\s*(?:\b(?:and|or)\b)?\s*[;,.]?)$")


def _leaf_items(outline: Outline) -> dict[str, list[Provision]]:
    parents = {p.parent for p in outline.provisions}
    items: dict[str, list[Provision]] = {}
    for provision in outline.provisions:
        if provision.kind == "list-item" and provision.parent and provision.id not in parents:
            items.setdefault(provision.parent, []).append(provision)
    return items


def _list_sites(outline: Outline, phrases: Phrases) -> list[Site]:
    by_id = {p.id: p for p in outline.provisions}
    return [
        Site(parent)
        for parent, items in _leaf_items(outline).items()
        if by_id[parent].binding and len({i.text for i in items}) >= 3
    ]


def _reorder(outline: Outline, site: Site, rng: random.Random, phrases: Phrases) -> Variant | None:
    """Two items of a list trade places; each place keeps its closing "; and" or ".": what
    a drafter reordering a list would write."""
    items = _leaf_items(outline)[site.provision]
    first, second = sorted(rng.sample(range(len(items)), 2))
    a, b = items[first], items[second]

    def split(text: str) -> tuple[str, str]:
        match = _ITEM_END.search(text)
        at = match.start() if match else len(text)
        return text[:at], text[at:]

    (core_a, end_a), (core_b, end_b) = split(a.text), split(b.text)
    if core_a == core_b:
        return None
    texts = {a.id: core_b + end_a, b.id: core_a + end_b}
    edited = [replace(p, text=texts[p.id]) if p.id in texts else p for p in outline.provisions]
    return _variant(
        "list-reordered",
        "none",
        _with_provisions(outline, edited),
        site,
        f"items {a.label} and {b.label} of {site.provision} swapped",
    )


_NUMBERED = re.compile(r"^(?P<prefix>(?:[IVX]+\.)?(?:\d+\.)*)(?P<last>\d+)$")
_REFERENCE = re.compile(
    r"(?<![\w-])(?P<word>Commitments?|Measures?|Sub-Measures?)\s+"
    r"(?P<number>(?:[IVX]+\.)?\d+(?:\.\d+)*)(?![\w.]*\d)"
)


def _renumber_sites(outline: Outline, phrases: Phrases) -> list[Site]:
    return [
        Site(p.id)
        for p in outline.provisions
        if p.kind in RENUMBERED_KINDS and p.number and _NUMBERED.match(p.number)
    ]


def _renumber(outline: Outline, site: Site, rng: random.Random, phrases: Phrases) -> Variant | None:
    """The provision and the later ones of its kind under the same parent move up by one,
    with their children's numbers, their ids and every cross-reference to them: what
    inserting a provision before them does, without the insertion."""
    target = outline.by_id(site.provision)
    match = _NUMBERED.match(target.number or "")
    if match is None:
        return None
    prefix, first = match["prefix"], int(match["last"])
    numbers: dict[tuple[str, str], str] = {}  # (kind, old number) -> new number
    moved: list[Provision] = []
    for provision in outline.provisions:
        own = _NUMBERED.match(provision.number or "")
        if (
            provision.parent == target.parent
            and provision.kind == target.kind
            and own
            and own["prefix"] == prefix
            and int(own["last"]) >= first
        ):
            numbers[(provision.kind, provision.number or "")] = f"{prefix}{int(own['last']) + 1}"
            moved.append(provision)
    renamed: dict[str, str] = {}
    for top in moved:
        old_top = top.number or ""
        new_top = numbers[(top.kind, old_top)]
        for provision in subtree(outline, top.id):
            number = provision.number or ""
            if provision is not top and number.startswith(old_top + "."):
                numbers[(provision.kind, number)] = new_top + number[len(old_top) :]
            renamed[provision.id] = provision.id
    by_number = {old: new for (_, old), new in numbers.items()}
    pattern = re.compile(
        r"(?<=-)("
        + "|".join(re.escape(n) for n in sorted(by_number, key=len, reverse=True))
        + r")(?=$|/)"
    )
    for old_id in renamed:  # the number is in the first segment: "sub-measure-3.1/2"
        head, slash, rest = old_id.partition("/")
        renamed[old_id] = pattern.sub(lambda m: by_number[m.group(1)], head) + slash + rest
    if len(set(renamed.values()) | ({p.id for p in outline.provisions} - set(renamed))) != len(
        outline.provisions
    ):
        return None

    def cite(text: str) -> str:
        def one(m: re.Match[str]) -> str:
            kind = m["word"].lower().rstrip("s")
            new = numbers.get((kind, m["number"]))
            return f"{m['word']} {new}" if new else m.group()

        return _REFERENCE.sub(one, text)

    edited = []
    for provision in outline.provisions:
        number = provision.number or ""
        new_number = numbers.get((provision.kind, number)) if provision.id in renamed else None
        edited.append(
            replace(
                provision,
                id=renamed.get(provision.id, provision.id),
                parent=renamed.get(provision.parent or "", provision.parent),
                number=new_number or provision.number,
                label=provision.label.replace(number, new_number)
                if new_number and number
                else provision.label,
                text=cite(provision.text),
                heading=cite(provision.heading),
                lead_in=cite(provision.lead_in) if provision.lead_in else provision.lead_in,
            )
        )
    new_label = target.label.replace(
        target.number or "", numbers[(target.kind, target.number or "")]
    )
    mutation = Mutation(
        "renumbered",
        "none",
        target.id,
        f"{target.label} -> {new_label}"
        f" (and {len(moved) - 1} later {target.kind}s with it, cross-references followed)",
        renamed[target.id],
    )
    return Variant(mutation, _with_provisions(outline, edited))


def _swap_sites(outline: Outline, phrases: Phrases) -> list[Site]:
    """Adjacent sentences of one paragraph that each stand on their own."""
    sites = []
    for provision in _binding(outline):
        spans = sentence_spans(provision.text)
        for index in range(len(spans) - 1):
            first = provision.text[slice(*spans[index])]
            second = provision.text[slice(*spans[index + 1])]
            gap = provision.text[spans[index][1] : spans[index + 1][0]]
            if "\n" in gap or not (_closed(first) and _closed(second)):
                continue
            if _leans_back(first, phrases) or _leans_back(second, phrases):
                continue
            sites.append(Site(provision.id, index))
    return sites


def _leans_back(sentence: str, phrases: Phrases) -> bool:
    """Whether a sentence points at the one before it ("This", "such measures"): moved
    before it, it would point elsewhere."""
    if any(sentence.startswith(a + " ") or sentence.startswith(a + ",") for a in phrases.anaphora):
        return True
    opening = {w.strip(',;:()"“”').lower() for w in sentence.split()[:10]}
    return bool(opening & phrases.back_words)


def _swap_sentences(
    outline: Outline, site: Site, rng: random.Random, phrases: Phrases
) -> Variant | None:
    provision = outline.by_id(site.provision)
    spans = sentence_spans(provision.text)
    (a, b), (c, d) = spans[site.sentence], spans[site.sentence + 1]
    text = provision.text
    old = text[a:d]
    new = text[c:d] + text[b:c] + text[a:b]
    return _variant(
        "sentences-swapped",
        "none",
        _retext(outline, provision.id, text[:a] + new + text[d:], old, new),
        site,
        f'"{_quote(text[a:b], 40)}" and "{_quote(text[c:d], 40)}" swapped',
    )


def _punctuation_sites(outline: Outline, phrases: Phrases) -> list[Site]:
    return [Site(p.id) for p in _binding(outline) if len(p.text.split()) >= 4]


_CURLY = re.compile(r"“([^”\"]*)”")
_STRAIGHT = re.compile(r"\"([^\"“”]*)\"")


def _repunctuate(
    outline: Outline, site: Site, rng: random.Random, phrases: Phrases
) -> Variant | None:
    """One cosmetic change: spacing, a line break, dashes, quotes, a serial comma, a final stop."""
    provision = outline.by_id(site.provision)
    text = provision.text
    gaps = [m.start() for m in re.finditer(r"(?<=\S) (?=\S)", text)]
    edits: list[tuple[str, str]] = []
    if gaps:
        at = rng.choice(gaps)
        edits.append(("double space", text[:at] + "  " + text[at + 1 :]))
        edits.append(("line break", text[:at] + "\n" + text[at + 1 :]))
    if " – " in text or " - " in text:
        swapped = text.replace(" – ", " - ") if " – " in text else text.replace(" - ", " – ")
        edits.append(("dash", swapped))
    if _CURLY.search(text):
        edits.append(("straight quotes", _CURLY.sub(r'"\1"', text)))
    elif _STRAIGHT.search(text):
        edits.append(("curly quotes", _STRAIGHT.sub(r"“\1”", text)))
    serial = re.search(r"(?<=\w), (\w+(?: \w+){0,3}), (and|or) ", text)
    if serial:
        edits.append(
            ("serial comma dropped", text[: serial.end(1)] + " " + text[serial.end(1) + 2 :])
        )
    if text.endswith(".") and provision.kind == "list-item":
        edits.append(("final stop dropped", text[:-1]))
    if not edits:
        return None
    name, new = rng.choice(edits)
    return _variant(
        "punctuation",
        "none",
        _with_provisions(
            outline,
            [replace(p, text=new) if p.id == provision.id else p for p in outline.provisions],
        ),
        site,
        f"{name} in {provision.label}",
    )


MUTATORS: dict[str, tuple[SiteFinder, Editor]] = {
    "modal-softened": (_duty_sites, _soften),
    "qualifier-added": (_duty_sites, _hedge),
    "exemption-added": (_duty_sites, _exempt),
    "duty-sentence-removed": (_removable_duty_sites, _drop_duty),
    "provision-removed": (_provision_sites, _drop_provision),
    "list-item-removed": (_list_item_sites, _drop_item),
    "number-changed": (_period_sites, _change_number),
    "quantity-removed": (_period_sites, _drop_quantity),
    "moved-to-box": (_box_sites, _to_box),
    "modal-synonym": (_modal_sites, _swap_modal),
    "spelling": (_spelling_sites, _respell),
    "synonym": (_synonym_sites, _reword),
    "list-reordered": (_list_sites, _reorder),
    "renumbered": (_renumber_sites, _renumber),
    "sentences-swapped": (_swap_sites, _swap_sentences),
    "punctuation": (_punctuation_sites, _repunctuate),
}
"""Kind -> (where it can go, how it is made)."""


def sites(outline: Outline, kind: str, phrases: Phrases | None = None) -> list[Site]:
    """Every place an edit of ``kind`` could go, in document order."""
    return MUTATORS[kind][0](outline, phrases or default_phrases())


def mutate(
    outline: Outline, kind: str, count: int, seed: int = 0, phrases: Phrases | None = None
) -> tuple[Variant, ...]:
    """Up to ``count`` variants with one edit of ``kind`` each, on distinct provisions,
    picked by a generator seeded with ``seed`` and the kind: the same every run."""
    phrases = phrases or default_phrases()
    finder, editor = MUTATORS[kind]
    rng = random.Random(f"{seed}/{kind}")
    candidates = finder(outline, phrases)
    rng.shuffle(candidates)
    result: list[Variant] = []
    used: set[str] = set()
    for site in candidates:
        if len(result) >= count:
            break
        if site.provision in used:
            continue
        variant = editor(outline, site, rng, phrases)
        if variant is None or variant.outline == outline or not well_formed(variant.outline):
            continue
        used.add(site.provision)
        result.append(variant)
    return tuple(result)


def variants(
    outline: Outline,
    per_kind: int,
    seed: int = 0,
    kinds: Sequence[str] = KINDS,
    phrases: Phrases | None = None,
) -> tuple[Variant, ...]:
    """``mutate`` for every kind, planted kinds first."""
    return tuple(v for kind in kinds for v in mutate(outline, kind, per_kind, seed, phrases))
