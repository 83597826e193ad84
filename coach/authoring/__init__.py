"""Tools for scenario authors: lint, the checks authors write (examples, playthroughs), diagrams, watching files."""
