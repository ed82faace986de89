"""The wheel carries the templates and profiles, so a non-editable install works."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_templates_and_profiles(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("cop_diff-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates_dir = ROOT / "templates"
    templates = {
        p.relative_to(templates_dir).as_posix() for p in templates_dir.rglob("*") if p.is_file()
    }
    assert templates and all(f"cop_diff/templates/{name}" in names for name in templates)
    assert "cop_diff/profiles/cop-commitments.toml" in names
    assert "cop_diff/profiles/common.toml" in names
