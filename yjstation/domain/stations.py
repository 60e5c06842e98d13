"""Facts derived from a station record that several rules and commands share.

What was in force on a day (operating, the agreement's end, the stationmaster then) is the station's
history and lives in `yjstation.domain.history`; the names below are kept for the code that imports
them from here.
"""

from __future__ import annotations

from yjstation.domain.history import agreement_end, is_operating, opened_on, operates_during

STEP_KEYS = ("layout", "market_survey", "confirmation", "agreement", "fit_out", "training", "maintenance", "upgrade")

__all__ = ["STEP_KEYS", "agreement_end", "is_operating", "opened_on", "operates_during"]
