"""E-mail delivery of a run folder with the standard library's ``smtplib``.

The message is multipart: a plain-text part and an HTML alternative, both rendered
from the run's ``briefing.json`` (``templates/email.txt.j2``; ``body.html.j2`` with
``email.css`` inlined into style attributes by css-inline), and ``briefing.pdf``
attached. A run folder without ``briefing.json`` falls back to its ``briefing.md`` and
``briefing.html``. Each recipient gets a message of their own (nobody sees the other
addresses), marked ``Auto-Submitted`` with a ``List-Id``. The password is read from the
environment variable named by ``[email] password_env``, never from the config.
Temporary failures (connection refused, 4xx replies, timeouts) are retried with
exponential backoff, for the recipients not yet served; permanent ones (5xx, bad login) are not.
"""

from __future__ import annotations

import json
import logging
import os
import re
import smtplib
import ssl
import time
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, formatdate, getaddresses, make_msgid
from pathlib import Path
from typing import Callable, Mapping, Sequence

from digest.errors import OutputError
from digest.models import Briefing
from digest.service.runs import resolve_run
from digest.settings import EmailConfig, Settings

log = logging.getLogger("digest.deliver")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Delivery:
    """The outcome of sending one run: ``ok``, how many attempts, the last error, who got it."""

    ok: bool
    attempts: int
    error: str | None = None
    subject: str = ""
    sent_to: tuple[str, ...] = ()


def subject_for(briefing: Briefing | None, run_dir: Path) -> str:
    """``<title>, <date>: <top headline>``, from the briefing (or the folder name)."""
    title = briefing.title if briefing else "News digest"
    date = _date_of(briefing, run_dir)
    headline = briefing.stories[0].headline if briefing and briefing.stories else None
    subject = f"{title}, {date}" + (f": {headline}" if headline else "")
    return " ".join(subject.split())[:250]  # one line, within what mail servers accept


def sender_for(config: EmailConfig, briefing: Briefing | None) -> str:
    """The From header: ``config.sender`` with a display name (``from_name``, else the briefing's title)."""
    name, address = getaddresses([config.sender])[0]
    name = name or config.from_name or (briefing.title if briefing else "") or "News digest"
    return formataddr((" ".join(name.split()), address))


def list_id_for(config: EmailConfig, briefing: Briefing | None) -> str:
    """``List-Id`` (RFC 2919): the digest's name and ``<slug-of-title>.<sender domain>``, so filters can match it."""
    name, address = getaddresses([sender_for(config, briefing)])[0]
    domain = address.rpartition("@")[2] or "localhost"
    slug = _SLUG.sub("-", name.lower()).strip("-") or "digest"
    return f"{name} <{slug[:60]}.{domain}>"


def build_message(run_dir: Path, config: EmailConfig, settings: Settings | None = None) -> EmailMessage:
    """Build the e-mail for a published run folder, addressed to ``config.to[0]`` (``address_to`` readdresses it)."""
    from digest.render import render_email_html, render_email_text

    run_dir = Path(run_dir)
    settings = settings or Settings()
    briefing = _load_briefing(run_dir)
    pdf = run_dir / "briefing.pdf"
    attach = config.attach_pdf and pdf.is_file()
    if briefing is not None:
        text: str | None = render_email_text(briefing, settings)
        html: str | None = render_email_html(briefing, settings, pdf_attached=attach)
    else:
        text, html = _read_text(run_dir / "briefing.md"), _read_text(run_dir / "briefing.html")
    if text is None and html is None:
        raise OutputError("nothing to send: no briefing.json, briefing.md or briefing.html", path=str(run_dir))
    message = EmailMessage()
    message["Subject"] = subject_for(briefing, run_dir)
    message["From"] = sender_for(config, briefing)
    message["Date"] = formatdate(localtime=True)
    # Mark it as sent by a program (RFC 3834), so that vacation replies and auto-responders stay quiet.
    message["Auto-Submitted"] = "auto-generated"
    message["List-Id"] = list_id_for(config, briefing)
    message.set_content(text if text is not None else "This digest is in HTML; open it in a mail reader that shows HTML.")
    if html is not None:
        message.add_alternative(html, subtype="html")
    if attach:
        message.add_attachment(pdf.read_bytes(), maintype="application", subtype="pdf",
                               filename=f"briefing-{run_dir.name}.pdf")
    if config.to:
        address_to(message, config.to[0], config)
    return message


def address_to(message: EmailMessage, recipient: str, config: EmailConfig) -> EmailMessage:
    """Set ``To`` to one recipient and give the message a fresh ``Message-ID``; returns the message."""
    del message["To"]
    del message["Message-ID"]
    message["To"] = recipient
    domain = getaddresses([config.sender])[0][1].rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    return message


def write_dry_run(run_dir: str | Path, config: EmailConfig, out_dir: str | Path,
                  settings: Settings | None = None) -> list[Path]:
    """Write the messages ``digest send`` would send, one ``.eml`` per recipient, into ``out_dir``; send nothing."""
    from digest.fsutil import atomic_write_bytes

    if not config.to:
        raise OutputError("no recipients: set [email] to = [\"you@example.org\"] in digest.toml")
    folder = resolve_run(run_dir)
    message = build_message(folder, config, settings)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder: {exc.strerror or exc}", path=str(out)) from None
    written = []
    for number, recipient in enumerate(config.to, 1):
        address_to(message, recipient, config)
        target = out / f"{folder.name}-{number}.eml"
        atomic_write_bytes(target, message.as_bytes())
        written.append(target)
    return written


def send_message(message: EmailMessage, config: EmailConfig, *, recipients: Sequence[str] | None = None,
                 sent: Callable[[str], None] = lambda _address: None, env: Mapping[str, str] | None = None,
                 context: ssl.SSLContext | None = None) -> None:
    """Send one message per recipient over one connection (no retry); ``sent(address)`` after each.

    Raises smtplib/OSError errors as they come.
    """
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
        for recipient in config.to if recipients is None else recipients:
            address_to(message, recipient, config)
            smtp.send_message(message, to_addrs=[_bare(recipient)])
            sent(recipient)


def send_with_retry(message: EmailMessage, config: EmailConfig, *, sleep: Callable[[float], None] = time.sleep,
                    env: Mapping[str, str] | None = None, context: ssl.SSLContext | None = None,
                    on_demand: bool = False) -> Delivery:
    """Send to every recipient, retrying temporary failures ``config.retries`` times with doubling waits.

    A retry goes only to the recipients not served yet. Each wait is logged with its length
    (warning), so a run never sits silent; ``on_demand`` (a user waiting at a terminal) picks
    the short default backoff. Never raises.
    """
    subject = str(message["Subject"])
    done: list[str] = []
    attempts = 0
    delay = config.retry_backoff(on_demand)
    while True:
        attempts += 1
        pending = [r for r in config.to if r not in done]
        try:
            send_message(message, config, recipients=pending, sent=done.append, env=env, context=context)
            return Delivery(True, attempts, None, subject, tuple(done))
        except OutputError as exc:  # our own, e.g. the password variable is missing: retrying cannot help
            return Delivery(False, attempts, str(exc), subject, tuple(done))
        except (smtplib.SMTPException, OSError) as exc:
            error = describe_error(exc, config)
            if not is_temporary(exc) or attempts > config.retries:
                return Delivery(False, attempts, error, subject, tuple(done))
        log.warning("e-mail attempt %d of %d failed: %s; retrying in %gs", attempts, config.retries + 1, error, delay)
        sleep(delay)
        delay *= 2


def send_run(run_dir: str | Path, config: EmailConfig, *, sleep: Callable[[float], None] = time.sleep,
             env: Mapping[str, str] | None = None, context: ssl.SSLContext | None = None,
             on_demand: bool = False, settings: Settings | None = None) -> Delivery:
    """Send the run in ``run_dir`` (``out/latest`` works) with retries; raises OutputError if unbuildable."""
    if not config.to:
        raise OutputError("no recipients: set [email] to = [\"you@example.org\"] in digest.toml")
    folder = resolve_run(run_dir)
    return send_with_retry(build_message(folder, config, settings), config, sleep=sleep, env=env,
                           context=context, on_demand=on_demand)


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
    from digest.render import short_date

    return short_date(when.isoformat())  # the date style of the briefing itself


def _bare(recipient: str) -> str:
    """The address part of ``Name <addr>`` (the SMTP envelope takes only the address)."""
    return getaddresses([recipient])[0][1] or recipient


def _decode(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
