"""The controller's public holidays, from the `holidays` package, for `privbot.core.deadlines`.

The core only sees a callable `day -> bool` with a `name(day)` for its explanations
(`core.deadlines.NamedHolidays`); this is the one module that imports `holidays`.
"""

from __future__ import annotations

from datetime import date

import holidays

from privbot.errors import ConfigError


class HolidayCalendar:
    """Public holidays of one country; years are computed lazily as they are asked for."""

    def __init__(self, country: str) -> None:
        try:
            # English names: explanations are staff-facing and written in English.
            self._days = holidays.country_holidays(country.upper(), language="en_US")
        except NotImplementedError as exc:
            raise ConfigError(
                f"PRIVBOT_HOLIDAYS_COUNTRY: no public-holiday calendar for country {country!r}"
            ) from exc
        self.country = country.upper()

    def __call__(self, day: date) -> bool:
        return day in self._days

    def name(self, day: date) -> str | None:
        found = self._days.get(day)
        return str(found) if found is not None else None


def holiday_checker(country: str) -> HolidayCalendar:
    """The holiday calendar of `country` (ISO 3166-1 alpha-2, e.g. "FR", "US")."""
    return HolidayCalendar(country)
