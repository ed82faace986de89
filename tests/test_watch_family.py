"""``watch`` cannot feed itself (issue #16, item 5): a file that reads as a draft but does
not continue the releases before it (an error or login page served with status 200,
another document linked beside the drafts) is skipped and logged, never a release.

The test: enough of the new file's sentences resemble one of the release it would follow
(``watch.family.unlike_family``). It must let through the real drafts, consecutive releases
rewritten and renumbered throughout, and stop documents of other families, even codes of
practice in the same style."""

from __future__ import annotations

import itertools
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from cop_diff.lexicon import load_lexicon
from cop_diff.model import Outline
from cop_diff.pipeline import Settings, outline_file
from cop_diff.watch.family import MIN_FAMILY_SHARE, family_resemblance, unlike_family
from cop_diff.watch.job import WatchSettings, run_once

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "drafts"
BLIND = ROOT / "tests" / "gold" / "blind"
BLIND_CODES = (
    "battery-due-diligence",
    "clinical-trial-data",
    "payment-fraud",
    "recommender-systems",
)

# A site's "page not found", served with status 200 where the draft was: it has headings
# and paragraphs enough to pass for a draft of 10 provisions or more.
ERROR_PAGE = (
    "<!doctype html><html><head><title>Page not found</title></head><body>"
    "<h1>Sorry, we could not find that page</h1>"
    + "".join(
        f"<h2>{topic}</h2><p>Find out more about {topic.lower()} on our home page, or use the "
        "search box. Contact us if you need help.</p>"
        for topic in (
            "News",
            "Events",
            "Publications",
            "Consultations",
            "Jobs",
            "Press office",
            "Accessibility",
            "Privacy and cookies",
        )
    )
    + "</body></html>"
)


@pytest.fixture(scope="module")
def outline() -> Callable[[Path], Outline]:
    settings = Settings()
    return lambda path: outline_file(path, settings)


def share(previous: Outline, candidate: Outline) -> float:
    alike, total = family_resemblance(previous, candidate, load_lexicon())
    return alike / total


def test_the_real_drafts_are_one_family(
    shared_drafts: Path, outline: Callable[[Path], Outline]
) -> None:
    """Consecutive releases, rewritten and renumbered throughout, and even the First then
    the Third, skipping one; a draft's HTML edition after its PDF."""
    d1, d2, d3 = (outline(shared_drafts / f"cop-d{n}.pdf") for n in (1, 2, 3))
    html = outline(shared_drafts / "cop-d3.html")
    lexicon = load_lexicon()
    for previous, candidate in ((d1, d2), (d2, d3), (d1, d3), (d3, html)):
        assert unlike_family(previous, candidate, lexicon) is None
    # Consecutive releases clear the bar by far (40% and 49%).
    assert min(share(d1, d2), share(d2, d3)) > 1.5 * MIN_FAMILY_SHARE


def test_other_documents_are_not_of_the_real_drafts_family(
    shared_drafts: Path, outline: Callable[[Path], Outline], tmp_path: Path
) -> None:
    error_page = tmp_path / "cop-d4.html"
    error_page.write_text(ERROR_PAGE, encoding="utf-8")
    strangers = [
        *(BLIND / f"{code}-v{n}.md" for code in BLIND_CODES for n in (1, 2)),
        *(SAMPLES / f"sample-v{n}.pdf" for n in (1, 2, 3)),
        ROOT / "README.md",
        error_page,
    ]
    lexicon = load_lexicon()
    for name in ("cop-d1.pdf", "cop-d2.pdf", "cop-d3.pdf"):
        draft = outline(shared_drafts / name)
        for stranger in strangers:
            reason = unlike_family(draft, outline(stranger), lexicon)
            assert reason is not None and "too few for a next version" in reason, stranger


def test_each_family_is_its_own_and_no_other(outline: Callable[[Path], Outline]) -> None:
    """The sample drafts and the four blind-set codes: every version follows its own
    previous one, and no code follows another, though all are written in one style."""
    families = {"sample": [SAMPLES / f"sample-v{n}.pdf" for n in (1, 2, 3)]}
    families |= {code: [BLIND / f"{code}-v{n}.md" for n in (1, 2)] for code in BLIND_CODES}
    lexicon = load_lexicon()
    for versions in families.values():
        for previous, candidate in itertools.pairwise(versions):
            assert unlike_family(outline(previous), outline(candidate), lexicon) is None
    for name, versions in families.items():
        for other, their_versions in families.items():
            if other == name:
                continue
            for previous in versions:
                for candidate in their_versions:
                    assert unlike_family(outline(previous), outline(candidate), lexicon), (
                        previous.name,
                        candidate.name,
                    )


def watch_folder(tmp_path: Path, files: dict[str, Path | str]) -> WatchSettings:
    source = tmp_path / "source"
    source.mkdir(exist_ok=True)
    for name, content in files.items():
        if isinstance(content, Path):
            shutil.copy(content, source / name)
        else:
            (source / name).write_text(content, encoding="utf-8")
    return WatchSettings(source=str(source), state=tmp_path / "state.db", out=tmp_path / "out")


def skipped(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("skipped ")]


def test_an_error_page_or_another_code_is_skipped_and_the_chain_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = watch_folder(
        tmp_path,
        {
            "sample-v1.pdf": SAMPLES / "sample-v1.pdf",
            "sample-v2.html": ERROR_PAGE,
            "sample-v3.md": BLIND / "payment-fraud-v1.md",
            "sample-v4.pdf": SAMPLES / "sample-v2.pdf",
        },
    )
    with caplog.at_level(logging.INFO, logger="cop_diff.watch"):
        result = run_once(settings)
    assert result.releases == ("sample-v1.pdf", "sample-v4.pdf") and not result.problems
    assert len(result.comparisons) == 1 and "sample-v1-to-sample-v4" in result.comparisons[0]
    error_page, other_code = skipped(caplog)
    for line, name in ((error_page, "sample-v2.html"), (other_code, "sample-v3.md")):
        assert line.startswith(f"skipped {name} from ")
        assert "not a version of sample-v1.pdf, the release it would follow: " in line
        assert "too few for a next version (at least 20% and 10)" in line
    assert " 0 of its " in error_page
    assert not list((settings.out / "drafts").rglob("sample-v[23].*"))
    # Skipped once: the next pass neither reads them again nor says so again.
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="cop_diff.watch"):
        again = run_once(settings)
    assert again.releases == () and skipped(caplog) == []


def test_a_release_that_comes_first_is_compared_with_the_one_it_precedes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A first draft found after the second, and a stranger named to come before both."""
    settings = watch_folder(tmp_path, {"sample-v2.pdf": SAMPLES / "sample-v2.pdf"})
    assert run_once(settings).releases == ("sample-v2.pdf",)  # the first: nothing to resemble
    watch_folder(
        tmp_path,
        {"sample-v1.pdf": SAMPLES / "sample-v1.pdf", "sample-v0.md": ROOT / "README.md"},
    )
    with caplog.at_level(logging.INFO, logger="cop_diff.watch"):
        result = run_once(settings)
    assert result.releases == ("sample-v1.pdf",)
    (line,) = skipped(caplog)
    assert (
        "sample-v0.md" in line
        and "not a version of sample-v2.pdf, the release it would precede" in line
    )
