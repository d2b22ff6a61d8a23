"""`privbot run` for the benchmarks, with Telegram's rate limiter and the per-user inbound
limit optional (the service always has both on): the same settings, logging,
`privbot.runtime.Service` and `bootstrap.settle()` once started.

    PRIVBOT_...=... python bench/privbot_service.py [--no-rate-limit] [--no-inbound-limit]
"""

from __future__ import annotations

import argparse
import asyncio

from privbot.adapters.telegram.inbound import InboundLimit
from privbot.bootstrap import settle
from privbot.config import load_settings
from privbot.logging_setup import configure_logging
from privbot.runtime import Service

# Never reached by the benchmarks' simulated users (who type faster than a person).
UNLIMITED = InboundLimit(burst=1_000_000, per_second=1_000_000.0)


async def serve(rate_limit: bool, inbound_limit: bool) -> None:
    settings = load_settings()
    configure_logging(settings.log_format, settings.log_level)
    inbound = None if inbound_limit else UNLIMITED
    service = Service(settings, telegram_rate_limit=rate_limit, telegram_inbound=inbound)
    await service.start()
    settle()  # as `privbot run` does once started: what the start made leaves the collector
    try:
        await asyncio.Event().wait()  # until SIGTERM
    finally:
        await service.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-rate-limit", action="store_true")
    parser.add_argument("--no-inbound-limit", action="store_true")
    args = parser.parse_args()
    asyncio.run(serve(not args.no_rate_limit, not args.no_inbound_limit))
