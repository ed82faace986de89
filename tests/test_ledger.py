"""The duty ledger: what each binding statement is read as, and how duties match."""

from __future__ import annotations

from pathlib import Path

import pytest

from cop_diff.align import align
from cop_diff.ledger import conditions, quantities, same_action
from cop_diff.lexicon import load_lexicon
from cop_diff.model import DutyMatch
from cop_diff.pipeline import Settings, list_diffs, outline_file
from cop_diff.rules.base import RuleContext

LEXICON = load_lexicon()


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        # Known by its form, though no hedge list names it.
        ("Signatories shall report it where they judge it useful.", ["where they judge it useful"]),
        ("Signatories shall, when resources allow, test the link.", ["when resources allow"]),
        (
            "Signatories shall publish it only after the case is closed.",
            ["only after the case is closed"],
        ),
        ("Signatories shall log every flight unless it is a test.", ["unless it is a test"]),
        ("If asked, Signatories shall share the schedule.", ["If asked"]),
        # The named hedges are conditions too.
        ("Signatories shall use best efforts to log it.", ["best efforts"]),
        # The bearer's own judgement sets the scope.
        (
            "Signatories shall publish the data after removing what they regard as sensitive.",
            ["they regard as sensitive"],
        ),
        ("Signatories shall report incidents they deem serious.", ["they deem serious"]),
        # A relative clause is not a condition.
        ("Signatories shall list the cases where the link failed.", []),
        # A number does not end the clause at its decimal point or thousands comma.
        (
            "Signatories shall report if more than 0.5 % of 1,000 flights fail.",
            ["if more than 0.5 % of 1,000 flights fail"],
        ),
    ],
)
def test_conditions_are_known_by_their_form(text: str, phrases: list[str]) -> None:
    assert [c.phrase for c in conditions(text, LEXICON)] == phrases


def test_a_reworded_condition_has_the_same_key() -> None:
    one = conditions("Signatories shall act where they consider it necessary.", LEXICON)
    other = conditions("Signatories shall act where necessary.", LEXICON)
    assert set(one[0].key) >= set(other[0].key)


def test_quantities_have_the_role_the_words_before_them_give() -> None:
    found = quantities(
        "Signatories shall notify the Authority within 72 hours and retain the records for "
        "10 years; 5% of flights are sampled.",
        LEXICON,
    )
    assert [(q.text, q.role) for q in found] == [
        ("72 hours", "deadline"),
        ("10 years", "retention"),
        ("5%", "other"),
    ]
    assert found[0].days == pytest.approx(3.0, abs=0.01)


def test_same_action_needs_most_of_one_and_some_of_the_other() -> None:
    def match(kept: float, gained: float) -> DutyMatch:
        return DutyMatch(0, 0, 0.5, kept, gained, True)

    assert same_action(match(1.0, 0.3))  # a detail dropped
    assert not same_action(match(0.45, 0.45))  # another action
    assert not same_action(match(1.0, 0.1))  # a short duty inside a long new one


def context_of(tmp_path: Path, old: str, new: str) -> RuleContext:
    settings = Settings(cache=False)
    paths = []
    for name, text in (("old.md", old), ("new.md", new)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(outline_file(tmp_path / name, settings))
    alignment = align(paths[0], paths[1], settings.align)
    return RuleContext.build(
        paths[0], paths[1], alignment, list_diffs(paths[0], paths[1], alignment), settings.lexicon
    )


DRAFT = (
    "## Commitment 1. Records\n\nSignatories commit to keeping records.\n\n"
    "### Measure 1.1. Logs\n\nSignatories shall keep a flight log for each aircraft. "
    "Signatories are encouraged to publish a summary of the logs.\n\n"
    "### Measure 1.2. Checks\n\nSignatories shall include in each check:\n\n"
    "- the battery temperature;\n- the propeller wear.\n"
)


def test_each_binding_statement_is_a_duty_with_bearer_force_and_action(tmp_path: Path) -> None:
    ledger = context_of(tmp_path, DRAFT, DRAFT).ledger
    by_action = {d.action: d for d in ledger.old}
    log = by_action["keep a flight log for each aircraft."]
    assert (log.bearer, log.force, log.provision) == ("Signatories", 3, "measure-1.1")
    assert by_action["publish a summary of the logs."].force == 2
    # A list item takes its force from the sentence that introduced its list.
    item = next(d for d in ledger.old if d.provision == "measure-1.2/1")
    assert item.inherited and item.force == 3 and "battery temperature" in item.action


def test_a_duty_that_moved_is_kept_and_one_that_went_is_not(tmp_path: Path) -> None:
    new = DRAFT.replace("Signatories shall keep a flight log for each aircraft. ", "").replace(
        "- the propeller wear.\n",
        "- the propeller wear.\n\nSignatories shall keep a flight log for every aircraft.\n",
    )
    new = new.replace("- the battery temperature;\n", "")
    context = context_of(tmp_path, DRAFT, new)
    ledger = context.ledger
    log = next(i for i, d in enumerate(ledger.old) if d.action.startswith("keep a flight log"))
    assert ledger.kept("old", log) is not None  # moved to Measure 1.2, same action
    battery = next(i for i, d in enumerate(ledger.old) if "battery" in d.action)
    assert ledger.kept("old", battery) is None
