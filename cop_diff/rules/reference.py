"""reference-removed / reference-relegated (and -added / -promoted): legal instruments.

A legal instrument cited in operative text (lexicon ``[references]``: "Directive (EU)
2019/1937", "Regulation (EU) 2024/1689", the Charter, ...) that no binding provision of
the new draft cites any more is removed; if only recitals, boxes or other non-binding
text still cite it, it is relegated. Reported once per instrument, at the provision
that cited it.

Weakening:      "... protections as per Directive (EU) 2019/1937."  (in a commitment)
            ->  the commitment no longer cites it; a recital does (relegated)
Not weakening:  the citation moves from Measure 1.1 to Measure 1.2 (still operative).
"""

from __future__ import annotations

from collections.abc import Iterator

from cop_diff.lexical import references
from cop_diff.model import Finding, Outline, Provision
from cop_diff.rules.base import RuleContext, finding, name, quote, window

CODE = "R01"
KINDS = ("reference-removed", "reference-relegated", "reference-added", "reference-promoted")
MOVED = 0.8
"""An instrument that left binding text for a recital (or the reverse) with the duty that
cited it: the text says so."""
CITATION_ALONE = 0.65
"""A citation simply new or gone, or moved while the duty citing it stays, changes little
by itself: the law applies either way, and a duty that went with it is reported on its
own. Worth a look."""


RECITAL_KINDS = ("recital", "recital-box")


def _citations(outline: Outline, context: RuleContext, binding: bool) -> dict[str, str]:
    """Instrument -> id of the provision citing it in (non-)binding text: the first one,
    and among non-binding ones a recital first, where relegated references go."""
    provisions = [p for p in outline.provisions if p.binding == binding]
    if not binding:
        provisions.sort(key=lambda p: p.kind not in RECITAL_KINDS)  # stable: order kept
    cited: dict[str, str] = {}
    for provision in provisions:
        for instrument in sorted(references(provision.text, context.lexicon)):
            cited.setdefault(instrument, provision.id)
    return cited


def detect(context: RuleContext) -> Iterator[Finding]:
    old_binding = _citations(context.old, context, True)
    new_binding = _citations(context.new, context, True)
    old_other = _citations(context.old, context, False)
    new_other = _citations(context.new, context, False)
    for instrument, old_id in sorted(old_binding.items()):
        if instrument in new_binding:
            continue
        provision = context.old_by_id[old_id]
        relegated = instrument in new_other
        yield finding(
            context,
            KINDS[1] if relegated else KINDS[0],
            "weakening",
            (old_id, new_other.get(instrument) if relegated else context.counterparts.get(old_id)),
            _span(provision, instrument, context),
            _span(context.new_by_id.get(new_other.get(instrument, "")), instrument, context),
            f"{_cited_as(provision, instrument, context)}, cited in "
            f"{name(provision, context.old_by_id)}, is no longer cited in "
            "any binding text" + ("; only recitals or boxes mention it." if relegated else "."),
            MOVED
            if relegated and not _duty_kept(context, "old", provision, instrument)
            else CITATION_ALONE,
        )
    origins = {new: old for old, new in context.counterparts.items()}
    for instrument, new_id in sorted(new_binding.items()):
        if instrument in old_binding:
            continue
        provision = context.new_by_id[new_id]
        promoted = instrument in old_other
        yield finding(
            context,
            KINDS[3] if promoted else KINDS[2],
            "strengthening",
            (old_other.get(instrument) if promoted else origins.get(new_id), new_id),
            _span(context.old_by_id.get(old_other.get(instrument, "")), instrument, context),
            _span(provision, instrument, context),
            f"{_cited_as(provision, instrument, context)} is now cited in binding text "
            f"({name(provision, context.new_by_id)})"
            + (", not only in recitals or boxes." if promoted else "."),
            MOVED
            if promoted and not _duty_kept(context, "new", provision, instrument)
            else CITATION_ALONE,
        )


def _duty_kept(context: RuleContext, side: str, provision: Provision, instrument: str) -> bool:
    """Whether the duty of the sentence citing the instrument is in the other draft as
    well, as strongly: then only the citation moved, and the law applies either way."""
    pool = context.sentences.pool(side)
    ledger = context.ledger
    cited = _cited_as(provision, instrument, context)
    for at in context.sentences.of(side, provision.id):
        position = ledger.at(side, at)
        if position is None or cited not in pool[at].text:
            continue
        match = ledger.kept(side, position)
        if (
            match is not None
            and ledger.across(side, match).force >= ledger.duty(side, position).force
        ):
            return True
    return False


def _cited_as(provision: Provision, instrument: str, context: RuleContext) -> str:
    """The words the provision cites the instrument with ("GDPR", "AI Act")."""
    return references(provision.text, context.lexicon).get(instrument, instrument)


def _span(provision: Provision | None, instrument: str, context: RuleContext) -> str:
    """The citation in its sentence, or "" when the provision is unknown."""
    if provision is None:
        return ""
    flat = " ".join(provision.text.split())
    cited = _cited_as(provision, instrument, context)
    at = flat.find(cited)
    return window(flat, at, at + len(cited)) if at >= 0 else quote(flat, 20)
