"""The README shows what the code prints, and names what the test suite installs."""

from __future__ import annotations

import re

import pytest

from tests.readme_examples import README, ROOT, examples, matches, run

TEXT = README.read_text(encoding="utf-8")


def test_the_readme_has_generated_examples() -> None:
    assert len(examples(TEXT)) >= 3


@pytest.mark.parametrize("example", examples(TEXT), ids=lambda e: e.args)
def test_each_example_is_what_the_code_prints(example: object) -> None:
    actual = run(example.args)  # type: ignore[attr-defined]
    assert matches(example.shown, actual), (  # type: ignore[attr-defined]
        "README example drifted; run `make readme`. The code prints:\n" + "\n".join(actual)
    )


def test_setup_names_the_packages_ci_installs() -> None:
    """The set-up section, .ci/run and the tests' skip messages name the same packages."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    installed = set(re.findall(r"debian_packages\+=\(([\w.-]+)\)", ci))
    assert {"chromium", "libreoffice-writer-nogui", "fonts-liberation2"} <= installed
    setup = TEXT[TEXT.index("## Set-up") : TEXT.index("## Usage")]
    for package in installed - {"make"}:
        assert f"`{package}`" in setup, package
    skips = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("*.py"))
    for named in re.findall(r"apt-get install ([\w.-]+)", skips):
        assert named in installed, named
