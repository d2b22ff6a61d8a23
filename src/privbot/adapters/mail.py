"""E-mail delivery: SMTP (`PRIVBOT_SMTP_URL`) or the console, for local use only.

    smtp://user:pass@host:587?starttls=1   plain connection upgraded with STARTTLS
    smtps://user:pass@host:465             implicit TLS
    smtp://127.0.0.1:2525                  no TLS, no login (a local relay or a test server)

Neither mailer logs the address or the body (the body holds a verification code).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TextIO
from urllib.parse import parse_qs, unquote, urlsplit

from privbot.errors import ConfigError, DeliveryError

log = logging.getLogger(__name__)

LOCAL_ONLY_NOTICE = (
    "PRIVBOT_SMTP_URL is not set: e-mails (verification codes) are printed to this terminal. "
    "This mode is for local use only."
)


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str | None
    password: str | None


_TRUE = {"1", "true", "yes", "on"}


def parse_smtp_url(url: str) -> SmtpConfig:
    """Parse `PRIVBOT_SMTP_URL`; a bad one raises ConfigError naming the variable."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ConfigError("PRIVBOT_SMTP_URL: scheme must be smtp:// or smtps://")
    if not parts.hostname:
        raise ConfigError("PRIVBOT_SMTP_URL: no host")
    try:
        port = parts.port
    except ValueError as exc:
        raise ConfigError("PRIVBOT_SMTP_URL: invalid port") from exc
    implicit = parts.scheme == "smtps"
    query = {k: v[-1].lower() for k, v in parse_qs(parts.query).items()}
    starttls = query.get("starttls", "0") in _TRUE
    if implicit and starttls:
        raise ConfigError("PRIVBOT_SMTP_URL: smtps:// already uses TLS; drop ?starttls=1")
    return SmtpConfig(
        host=parts.hostname,
        port=port or (465 if implicit else 587 if starttls else 25),
        implicit_tls=implicit,
        starttls=starttls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


class SmtpMailer:
    """Delivers through an SMTP server, one connection per mail (codes are rare)."""

    def __init__(
        self,
        config: SmtpConfig,
        sender: str,
        timeout: float = 10.0,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.config = config
        self.sender = sender
        self.timeout = timeout
        self.tls_context = tls_context or ssl.create_default_context()

    def send(self, to: str, subject: str, body: str) -> None:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.sender, to, subject
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        msg.set_content(body)
        c = self.config
        try:
            smtp: smtplib.SMTP
            if c.implicit_tls:
                smtp = smtplib.SMTP_SSL(
                    c.host, c.port, timeout=self.timeout, context=self.tls_context
                )
            else:
                smtp = smtplib.SMTP(c.host, c.port, timeout=self.timeout)
            with smtp:
                if c.starttls:
                    smtp.starttls(context=self.tls_context)
                if c.username:
                    smtp.login(c.username, c.password or "")
                smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            # The exception text may echo the recipient: log only its type.
            log.warning("mail delivery failed: %s", type(exc).__name__)
            raise DeliveryError(f"mail delivery failed ({type(exc).__name__})") from exc


class ConsoleMailer:
    """Prints mails to a terminal stream (default stderr): for local use only."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))
        out = self.stream or sys.stderr
        bar = "-" * 60
        out.write(f"{bar}\n[e-mail, local only] To: {to}\nSubject: {subject}\n\n{body}\n{bar}\n")
        out.flush()
