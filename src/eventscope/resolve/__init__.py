"""Cross-report resolution: the same actor (and later event) across articles."""
