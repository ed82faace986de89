"""Detectors: each turns an aligned pair of drafts into findings."""
