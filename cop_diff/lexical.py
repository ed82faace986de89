"""Reading the lexicon in a sentence: modal strength, hedges, exemptions, references."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cop_diff.lexicon import Lexicon

MEMO = 1 << 14
"""Sentences whose readings are memoised: a draft's sentences are read by many rules, a
few thousand of them in a compare."""
WEAK_VERB_REACH = 4
"""A weak verb this many words after a modal softens it ("shall, where possible, consider")."""
STRENGTH_NAMES = {3: "a duty", 2: "an expectation", 1: "a permission", 0: "a plain description"}


_PARENTHESIS = re.compile(r"\([^()]*\)")


def gives_examples(lead: str, lexicon: Lexicon) -> re.Match[str] | None:
    """The words that introduce a list as examples ("such as:"), if its lead-in has them
    outside parentheses: "During training (such as fine-tuning), Signatories shall:"
    introduces duties."""
    return lexicon.example_leads.search(_PARENTHESIS.sub(" ", lead))


@dataclass(frozen=True)
class Modal:
    start: int
    end: int
    phrase: str
    strength: int
    """3 duty, 2 expectation, 1 permission; a weak verb after it caps it at 1."""


@lru_cache(maxsize=MEMO)
def modals(text: str, lexicon: Lexicon) -> tuple[Modal, ...]:
    """The modal phrases of a sentence with their strength; none in a descriptive one."""
    if lexicon.descriptive.search(text):
        return ()
    found: list[Modal] = []
    taken: list[tuple[int, int]] = []
    for strength, pattern in lexicon.modals:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue  # "is not required to" is not also "required to"
            taken.append(match.span())
            # Only the next few words matter; splitting the whole rest of a long text did not.
            following = " ".join(text[match.end() : match.end() + 200].split()[:WEAK_VERB_REACH])
            weak = _weak_verb(following, lexicon) if strength > 1 else None
            phrase = f"{match.group(0)} … {weak}" if weak else match.group(0)
            found.append(Modal(match.start(), match.end(), phrase, 1 if weak else strength))
    return tuple(sorted(found, key=lambda m: m.start))


def _weak_verb(following: str, lexicon: Lexicon) -> str | None:
    """The weak verb ("consider") right after a modal, if there is one."""
    match = lexicon.weak_verbs.search(following)
    if match is None or len(following[: match.start()].split()) > 1:
        return None
    return match.group(0)


def strength(text: str, lexicon: Lexicon) -> int:
    return max((m.strength for m in modals(text, lexicon)), default=0)


def is_obligation(text: str, lexicon: Lexicon) -> bool:
    """A sentence that imposes a duty (strength 3) or an expectation (2)."""
    return strength(text, lexicon) >= 2


def duty(text: str, lexicon: Lexicon) -> Modal | None:
    """The duty (strength 3) a sentence puts on a duty bearer ("Signatories shall ..."),
    or ``None``: a duty needs someone to bear it before the modal."""
    for modal in modals(text, lexicon):
        if modal.strength == 3 and lexicon.duty_bearers.search(text[: modal.start]):
            return modal
    return None


@lru_cache(maxsize=MEMO)
def phrases(pattern: re.Pattern[str], text: str) -> tuple[str, ...]:
    return tuple(" ".join(m.group(0).lower().split()) for m in pattern.finditer(text))


def references(text: str, lexicon: Lexicon) -> dict[str, str]:
    """Legal instruments cited, normalised: "Directive 2019/790/EU" and "Directive (EU)
    2019/790" are one instrument, "Directive (EU) 2019/790"; a short name ("GDPR") is
    the instrument its alias names. Each instrument with the words that cite it first."""
    found: dict[str, str] = {}
    for pattern in lexicon.references:
        for match in pattern.finditer(text):
            citation = " ".join(match.group(1).split())
            canonical = _canonical(lexicon.reference_aliases.get(citation.lower(), citation))
            found.setdefault(canonical, citation)
    return found


_NUMBERED = re.compile(r"^(\w+)\b.*?(\d{2,4})/(\d{1,4})(?:/(EU|EC|EEC))?", re.IGNORECASE)


def _canonical(citation: str) -> str:
    match = _NUMBERED.match(citation)
    if not match:
        return citation
    kind, first, second, suffix = match.groups()
    if suffix:  # the old style puts the number first: Directive 95/46/EC
        return f"{kind.title()} ({suffix.upper()}) {first}/{second}"
    return citation
