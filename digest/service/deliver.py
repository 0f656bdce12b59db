"""E-mail delivery of a run folder with the standard library's ``smtplib``.

The message is multipart: a plain-text body (``briefing.md``), an HTML
alternative (``briefing.html``) and ``briefing.pdf`` attached; the subject
holds the date and the top headline. The password is read from the
environment variable named by ``[email] password_env``, never from the config.
Temporary failures (connection refused, 4xx replies, timeouts) are retried
with exponential backoff; permanent ones (5xx, bad login) are not.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import ssl
import time
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Callable, Mapping

from digest.errors import OutputError
from digest.models import Briefing
from digest.service.runs import resolve_run
from digest.settings import EmailConfig

log = logging.getLogger("digest.deliver")


@dataclass(frozen=True, slots=True)
class Delivery:
    """The outcome of sending one run: ``ok``, how many attempts, the last error."""

    ok: bool
    attempts: int
    error: str | None = None
    subject: str = ""


def subject_for(briefing: Briefing | None, run_dir: Path) -> str:
    """``<title>, <date>: <top headline>``, from the briefing (or the folder name)."""
    title = briefing.title if briefing else "News digest"
    date = _date_of(briefing, run_dir)
    headline = briefing.stories[0].headline if briefing and briefing.stories else None
    subject = f"{title}, {date}" + (f": {headline}" if headline else "")
    return " ".join(subject.split())[:250]  # one line, within what mail servers accept


def build_message(run_dir: Path, config: EmailConfig) -> EmailMessage:
    """Build the e-mail for a published run folder."""
    run_dir = Path(run_dir)
    briefing = _load_briefing(run_dir)
    text = _read_text(run_dir / "briefing.md")
    html = _read_text(run_dir / "briefing.html")
    if text is None and html is None:
        raise OutputError("nothing to send: no briefing.md or briefing.html", path=str(run_dir))
    message = EmailMessage()
    message["Subject"] = subject_for(briefing, run_dir)
    message["From"] = config.sender
    message["To"] = ", ".join(config.to)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=config.sender.rpartition("@")[2] or None)
    message.set_content(text if text is not None else "This digest is in HTML; open it in a mail reader that shows HTML.")
    if html is not None:
        message.add_alternative(html, subtype="html")
    pdf = run_dir / "briefing.pdf"
    if config.attach_pdf and pdf.is_file():
        message.add_attachment(pdf.read_bytes(), maintype="application", subtype="pdf",
                               filename=f"briefing-{run_dir.name}.pdf")
    return message


def send_message(message: EmailMessage, config: EmailConfig, *, env: Mapping[str, str] | None = None,
                 context: ssl.SSLContext | None = None) -> None:
    """Send once (no retry); raises smtplib/OSError errors as they come."""
    password = _password(config, os.environ if env is None else env)
    context = context or ssl.create_default_context()
    port = config.effective_port
    if config.security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(config.host, port, timeout=config.timeout, context=context)
    else:
        smtp = smtplib.SMTP(config.host, port, timeout=config.timeout)
    with smtp:
        if config.security == "starttls":
            smtp.starttls(context=context)
        if config.username:
            smtp.login(config.username, password or "")
        smtp.send_message(message)


def send_with_retry(message: EmailMessage, config: EmailConfig, *, sleep: Callable[[float], None] = time.sleep,
                    env: Mapping[str, str] | None = None, context: ssl.SSLContext | None = None,
                    on_demand: bool = False) -> Delivery:
    """Send, retrying temporary failures ``config.retries`` times with doubling waits. Never raises.

    Each wait is logged with its length (warning), so a run never sits silent; ``on_demand``
    (a user waiting at a terminal) picks the short default backoff.
    """
    subject = str(message["Subject"])
    attempts = 0
    delay = config.retry_backoff(on_demand)
    while True:
        attempts += 1
        try:
            send_message(message, config, env=env, context=context)
            return Delivery(True, attempts, None, subject)
        except OutputError as exc:  # our own, e.g. the password variable is missing: retrying cannot help
            return Delivery(False, attempts, str(exc), subject)
        except (smtplib.SMTPException, OSError) as exc:
            error = describe_error(exc, config)
            if not is_temporary(exc) or attempts > config.retries:
                return Delivery(False, attempts, error, subject)
        log.warning("e-mail attempt %d of %d failed: %s; retrying in %gs", attempts, config.retries + 1, error, delay)
        sleep(delay)
        delay *= 2


def send_run(run_dir: str | Path, config: EmailConfig, *, sleep: Callable[[float], None] = time.sleep,
             env: Mapping[str, str] | None = None, context: ssl.SSLContext | None = None,
             on_demand: bool = False) -> Delivery:
    """Send the run in ``run_dir`` (``out/latest`` works) with retries; raises OutputError if unbuildable."""
    if not config.to:
        raise OutputError("no recipients: set [email] to = [\"you@example.org\"] in digest.toml")
    folder = resolve_run(run_dir)
    return send_with_retry(build_message(folder, config), config, sleep=sleep, env=env, context=context,
                           on_demand=on_demand)


def is_temporary(exc: BaseException) -> bool:
    """True for failures worth retrying: network errors, disconnects and 4xx replies."""
    if isinstance(exc, (smtplib.SMTPAuthenticationError, smtplib.SMTPNotSupportedError, ssl.SSLCertVerificationError)):
        return False
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError))


def describe_error(exc: BaseException, config: EmailConfig) -> str:
    where = f"{config.host}:{config.effective_port}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(f"{addr}: {code} {_decode(msg)}" for addr, (code, msg) in exc.recipients.items())
        return f"{where} refused the recipients ({refused})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{where} replied {exc.smtp_code} {_decode(exc.smtp_error)}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot reach {where}: {exc.strerror}"
    return f"{where}: {type(exc).__name__}: {exc}"


def check_ready(config: EmailConfig, env: Mapping[str, str] | None = None) -> None:
    """Fail at start, not at the first run, if the password variable is missing."""
    if config.active:
        _password(config, os.environ if env is None else env)


def _password(config: EmailConfig, env: Mapping[str, str]) -> str | None:
    if not config.password_env:
        return None
    password = env.get(config.password_env)
    if not password:
        raise OutputError(f"the environment variable {config.password_env} (named by [email] password_env) is not set; "
                          f"export it with the SMTP password")
    return password


def _load_briefing(run_dir: Path) -> Briefing | None:
    path = run_dir / "briefing.json"
    if not path.is_file():
        return None
    try:
        return Briefing.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        raise OutputError(f"cannot read the briefing: {exc}", path=str(path)) from None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(f"cannot read: {exc}", path=str(path)) from None


def _date_of(briefing: Briefing | None, run_dir: Path) -> str:
    when = None
    if briefing:
        try:
            when = datetime.fromisoformat(briefing.generated_at)
        except ValueError:
            pass
    if when is None:
        try:
            when = datetime.strptime(run_dir.name[:15], "%Y-%m-%d-%H%M")
        except ValueError:
            return run_dir.name
    return f"{when.day} {when:%b %Y}"


def _decode(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
