"""coach: rehearse the conversations that mentoring relationships stand or fall on.

The package splits into a core that knows no user interface (models, loading, matching,
the engine, feedback and records) and thin front ends over it (`coach.cli`, `coach.app`).
"""

__version__ = "0.1.0"
