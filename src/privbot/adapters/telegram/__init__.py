"""The Telegram adapter (python-telegram-bot v22).

bot.py        the Application, its handlers and the one error handler
render.py     Reply -> HTML-escaped messages and inline keyboards
callbacks.py  signed callback_data (forged buttons are refused)
webhook.py    the webhook route for the shared HTTP listener
notifier.py   delivers the database outbox (staff notices) to users
languages.py  Telegram's language codes -> the bot's languages
inbound.py    fair intake: a lane per user, a per-user inbound limit
ledger.py     updates recorded before they are acknowledged, replayed if their instance died;
              long polling
connection.py polling or webhook, started and stopped by the runtime
"""
