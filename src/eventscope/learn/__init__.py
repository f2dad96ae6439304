"""Learned components, trained on the project's own corpus (`corpus/`) at build time."""
