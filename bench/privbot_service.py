"""`privbot run` for the benchmarks, with Telegram's rate limiter optional (the service always
has it on): the same settings, logging and `privbot.runtime.Service`.

    PRIVBOT_...=... python bench/privbot_service.py [--no-rate-limit]
"""

from __future__ import annotations

import argparse
import asyncio

from privbot.config import load_settings
from privbot.logging_setup import configure_logging
from privbot.runtime import Service


async def serve(rate_limit: bool) -> None:
    settings = load_settings()
    configure_logging(settings.log_format, settings.log_level)
    service = Service(settings, telegram_rate_limit=rate_limit)
    await service.start()
    try:
        await asyncio.Event().wait()  # until SIGTERM
    finally:
        await service.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-rate-limit", action="store_true")
    asyncio.run(serve(not parser.parse_args().no_rate_limit))
