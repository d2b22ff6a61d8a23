"""The floor the Telegram benchmarks compare privbot with: a minimal python-telegram-bot echo
bot, built with the builder settings privbot uses (base URL, 32 concurrent updates, the
rate limiter when asked), polling the Bot API server it is given.

    python bench/echo_bot.py --api-url http://127.0.0.1:PORT --token 123:ABC [--rate-limit]
"""

from __future__ import annotations

import argparse
from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter, Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text is not None:
        await message.reply_text(message.text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--rate-limit", action="store_true")
    args = parser.parse_args()
    root = args.api_url.rstrip("/")
    builder: Any = (
        Application.builder()
        .token(args.token)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .concurrent_updates(32)
    )
    if args.rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=5))
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(allowed_updates=["message"], poll_interval=0.0)


if __name__ == "__main__":
    main()
