"""Scenario files and their models: YAML with positions, schemas, loading, the catalog."""
