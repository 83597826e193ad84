"""Start-up without garbage-collection pauses.

Importing Textual, unpickling the catalog and building the first screen allocate a few
hundred thousand long-lived objects; the collector, left on, walks them all in a full
collection (~20-30 ms, a tenth of start-up) just before the first paint, and finds almost
nothing to free. So collection waits until the home screen is ready; then everything alive
is frozen (moved out of the collector's view, as `gc.freeze` is meant for) and collection
resumes, cheaper from then on because it no longer rescans those objects.
"""

from __future__ import annotations

import gc


def pause_collection() -> None:
    gc.disable()


def resume_collection() -> None:
    """Freeze what start-up built and collect again (once; later calls do nothing)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
