"""Knowledge base: data files (YAML/CSV) and their cached loaders."""
