"""The versions of installed libraries, for cache keys, read without importing anything."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType


def canonical(name: str) -> str:
    """A distribution's name as its ``.dist-info`` folder may spell it: "pdfminer.six",
    "pdfminer_six" and "PDFMiner-Six" are one."""
    return re.sub(r"[-_.]+", "_", name).lower()


@cache
def installed_versions() -> Mapping[str, str]:
    """Canonical distribution name -> version, from the ``.dist-info`` folder names on
    ``sys.path`` (the first one found wins, as for an import). Read from the folder
    listings: importing ``importlib.metadata`` would add 45 ms to every run."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            stem = folder.removesuffix(".dist-info")
            if stem != folder and "-" in stem:
                name, version = stem.rsplit("-", 1)
                found.setdefault(canonical(name), version)
    return MappingProxyType(found)
