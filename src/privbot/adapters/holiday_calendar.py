"""The controller's public holidays, from the `holidays` package, for `privbot.core.deadlines`.

The core only sees a callable `day -> bool` with a `name(day)` for its explanations
(`core.deadlines.NamedHolidays`); this is the one module that imports `holidays`.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import TYPE_CHECKING

from privbot.errors import ConfigError

if TYPE_CHECKING:
    from holidays import HolidayBase


class HolidayCalendar:
    """Public holidays of one country; years are computed lazily as they are asked for, and
    the country's calendar is loaded at the first question (not at start-up)."""

    def __init__(self, country: str) -> None:
        # The code is checked with the calendar's first use: the settings check
        # PRIVBOT_HOLIDAYS_COUNTRY at start, and `holidays` loads only when a date is asked.
        self.country = country.upper()
        self._loaded: HolidayBase | None = None
        self._lock = threading.Lock()

    @property
    def _days(self) -> HolidayBase:
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    import holidays
                    from holidays.registry import EntityLoader

                    if self.country not in set(EntityLoader.get_country_codes()):
                        raise ConfigError(
                            "PRIVBOT_HOLIDAYS_COUNTRY: no public-holiday calendar for country "
                            f"{self.country!r}"
                        )

                    # English names: explanations are staff-facing and written in English.
                    self._loaded = holidays.country_holidays(self.country, language="en_US")
        return self._loaded

    def __call__(self, day: date) -> bool:
        return day in self._days

    def name(self, day: date) -> str | None:
        found = self._days.get(day)
        return str(found) if found is not None else None


def holiday_checker(country: str) -> HolidayCalendar:
    """The holiday calendar of `country` (ISO 3166-1 alpha-2, e.g. "FR", "US")."""
    return HolidayCalendar(country)
