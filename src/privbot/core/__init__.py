"""The pure core: no Telegram, Slack, database, scheduler, network or file I/O here."""
