"""cop-diff: find what got weaker between two drafts of a code of practice."""

__version__ = "0.1.0"
