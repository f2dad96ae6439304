"""Language identification and parsing: each article is parsed once."""
