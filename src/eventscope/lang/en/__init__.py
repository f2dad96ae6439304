"""The English language pack: `grammar` (spaCy English labels and tree helpers) and
`lexicon` (the YAML word lists of `kb/en/`)."""
