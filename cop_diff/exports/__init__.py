"""Exports of a comparison for the tools people already use: Markdown, CSV, Word."""
