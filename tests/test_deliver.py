"""E-mail delivery against a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import email
import io
import json
import smtplib
import socket
import ssl
import subprocess
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from digest.service.deliver import build_message, is_temporary, send_run, subject_for
from digest.errors import ConfigError, InputError, OutputError
from digest.models import Briefing, StoryBrief
from digest.render import safe_url
from digest.settings import EmailConfig, Settings, automation_from_mapping

HEADLINE = "Bridge reopens after three-year repair"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping the messages; answers ``replies`` to DATA first."""

    def __init__(self, replies: list[str] | None = None):
        self.messages: list[email.message.EmailMessage] = []
        self.replies = list(replies or [])

    async def handle_DATA(self, server, session, envelope):
        if self.replies:
            return self.replies.pop(0)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    weasyprint = pytest.importorskip("weasyprint")
    return weasyprint.HTML(string=f"<h1>{HEADLINE}</h1><p>A tiny real PDF.</p>").write_pdf()


@pytest.fixture
def run_dir(tmp_path: Path, pdf_bytes: bytes) -> Path:
    folder = tmp_path / "out" / "2026-11-24-0700"
    folder.mkdir(parents=True)
    story = StoryBrief(headline=HEADLINE, summary="The bridge is open.", sources=("a1",))
    briefing = Briefing(title="Morning digest", generated_at="2026-11-24T07:00:00+00:00", sources=(), stories=(story,))
    (folder / "briefing.json").write_text(json.dumps(briefing.to_dict()))
    (folder / "briefing.md").write_text(f"# Morning digest\n\n## {HEADLINE}\n\nThe bridge is open.\n")
    (folder / "briefing.html").write_text(f"<html><body><h2>{HEADLINE}</h2><p>The bridge is open.</p></body></html>")
    (folder / "briefing.pdf").write_bytes(pdf_bytes)
    (tmp_path / "out" / "latest").symlink_to(folder.name)
    return folder


def config(port: int, **kwargs) -> EmailConfig:
    base = dict(to=("reader@example.org",), sender="digest@example.org", host="127.0.0.1", port=port,
                security="none", retries=2, backoff=0.5, timeout=5)
    return EmailConfig(**{**base, **kwargs})


@pytest.fixture
def server():
    controllers = []

    def start(handler: Inbox, port: int | None = None, **kwargs) -> Controller:
        controller = Controller(handler, hostname="127.0.0.1", port=port or free_port(), **kwargs)
        controller.start()
        controllers.append(controller)
        return controller

    yield start
    for controller in controllers:
        controller.stop()


def test_message_arrives_with_html_text_and_a_valid_pdf(server, run_dir):
    inbox = Inbox()
    port = server(inbox).port
    delivery = send_run(run_dir.parent / "latest", config(port))
    assert delivery.ok and delivery.attempts == 1
    (message,) = inbox.messages
    assert message["Subject"] == f"Morning digest, 24 Nov 2026: {HEADLINE}"
    assert message["To"] == "reader@example.org"
    assert HEADLINE in message.get_body(("html",)).get_content()
    assert HEADLINE in message.get_body(("plain",)).get_content()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "briefing-2026-11-24-0700.pdf"
    data = attachment.get_content()
    assert data.startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    assert HEADLINE in pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_a_server_that_refuses_then_accepts_gets_the_mail_after_backoff(server, run_dir):
    inbox = Inbox(replies=["451 4.3.0 Try again later", "451 4.3.0 Still busy"])
    port = server(inbox).port
    waits: list[float] = []
    delivery = send_run(run_dir, config(port), sleep=waits.append)
    assert delivery.ok and delivery.attempts == 3
    assert waits == [0.5, 1.0]  # doubling backoff
    assert len(inbox.messages) == 1


def test_a_server_not_up_yet_is_retried_until_it_listens(server, run_dir):
    port = free_port()
    inbox = Inbox()
    delivery = send_run(run_dir, config(port), sleep=lambda _s: server(inbox, port=port))
    assert delivery.ok and delivery.attempts == 2 and len(inbox.messages) == 1


def test_retries_stop_after_the_limit_and_the_failure_is_reported(run_dir):
    waits: list[float] = []
    delivery = send_run(run_dir, config(free_port(), retries=2), sleep=waits.append)
    assert not delivery.ok and delivery.attempts == 3 and len(waits) == 2
    assert "cannot reach 127.0.0.1" in delivery.error


def test_a_permanent_refusal_is_not_retried(server, run_dir):
    port = server(Inbox(replies=["550 5.7.1 Rejected as spam"])).port
    waits: list[float] = []
    delivery = send_run(run_dir, config(port), sleep=waits.append)
    assert not delivery.ok and delivery.attempts == 1 and waits == []
    assert "550" in delivery.error


def test_login_uses_the_password_from_the_named_environment_variable(server, run_dir):
    logins: list[tuple[str, str]] = []

    def authenticator(_server, _session, _envelope, _mechanism, data):
        assert isinstance(data, LoginPassword)
        logins.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=data.password == b"s3cret", handled=False)

    inbox = Inbox()
    port = server(inbox, authenticator=authenticator, auth_require_tls=False,
                  auth_exclude_mechanism=["LOGIN"]).port  # PLAIN only: one answer per attempt
    cfg = config(port, username="digest", password_env="DIGEST_SMTP_PASSWORD")
    assert send_run(run_dir, cfg, env={"DIGEST_SMTP_PASSWORD": "s3cret"}).ok
    assert logins == [("digest", "s3cret")] and len(inbox.messages) == 1
    wrong = send_run(run_dir, cfg, env={"DIGEST_SMTP_PASSWORD": "nope"}, sleep=lambda _s: None)
    assert not wrong.ok and wrong.attempts == 1  # a bad password is not retried
    missing = send_run(run_dir, cfg, env={})
    assert not missing.ok and "DIGEST_SMTP_PASSWORD" in missing.error


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("openssl is needed to make a test certificate")
    return cert, key


def test_starttls_upgrades_the_connection_before_sending(server, run_dir, tls_files):
    cert, key = tls_files
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    inbox = Inbox()
    port = server(inbox, tls_context=server_context, require_starttls=True).port
    client_context = ssl.create_default_context(cafile=str(cert))
    assert send_run(run_dir, config(port, security="starttls"), context=client_context).ok
    assert len(inbox.messages) == 1
    plain = send_run(run_dir, config(port, security="none", retries=0))
    assert not plain.ok  # the server insists on STARTTLS: the plain path really is different


def test_subject_without_briefing_json_uses_the_folder_date(tmp_path):
    folder = tmp_path / "2026-01-05-1800"
    assert subject_for(None, folder) == "News digest, 5 Jan 2026"


def test_a_folder_without_a_briefing_is_an_error_naming_it(tmp_path):
    with pytest.raises(InputError, match="not a run folder"):
        send_run(tmp_path, config(25))
    (tmp_path / "briefing.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(OutputError, match="no briefing.json, briefing.md or briefing.html"):
        build_message(tmp_path, config(25))


def test_temporary_and_permanent_errors_are_told_apart():
    assert is_temporary(ConnectionRefusedError(111, "refused"))
    assert is_temporary(smtplib.SMTPDataError(451, b"later"))
    assert not is_temporary(smtplib.SMTPDataError(554, b"no"))
    assert not is_temporary(smtplib.SMTPAuthenticationError(535, b"bad"))
    assert is_temporary(smtplib.SMTPRecipientsRefused({"a@b": (450, b"busy")}))
    assert not is_temporary(smtplib.SMTPRecipientsRefused({"a@b": (550, b"no such user")}))


# --- [email] config -------------------------------------------------------


GOOD = {"to": ["me@example.org"], "from": "digest@example.org", "host": "smtp.example.org"}


def test_email_config_from_toml_table():
    cfg = automation_from_mapping({"email": {**GOOD, "security": "ssl", "username": "u",
                                             "password_env": "SMTP_PASS", "retries": 5}}).email
    assert cfg.active and cfg.effective_port == 465 and cfg.sender == "digest@example.org"
    assert not automation_from_mapping({}).email.active
    assert not automation_from_mapping({"email": {**GOOD, "enabled": False}}).email.active


@pytest.mark.parametrize("extra, message", [
    ({"password": "hunter2"}, "[email] password must not be stored in the config file"),
    ({"password_env": "hunter2 with spaces"}, "[email] password_env must be the NAME of an environment variable"),
    ({"username": "u"}, "[email] password_env is needed with username"),
    ({"security": "tls"}, "[email] security must be \"starttls\", \"ssl\" or \"none\""),
    ({"to": "not-an-address"}, "[email] to must be a list of e-mail addresses"),
    ({"from": "digest"}, "[email] from 'digest' is not an e-mail address"),
    ({"port": 70000}, "[email] port must be a whole number from 0 to 65535"),
    ({"backoff": -1}, "[email] backoff must be a number of seconds >= 0"),
    ({"attach_pdf": "yes"}, "[email] attach_pdf must be true or false"),
    ({"smtp": "x"}, "[email] unknown key 'smtp'"),
])
def test_each_email_mistake_gets_one_clear_error(extra, message):
    with pytest.raises(ConfigError) as info:
        automation_from_mapping({"email": {**GOOD, **extra}}, source="digest.toml")
    assert str(info.value).startswith("digest.toml: " + message)


def test_sender_is_required_when_there_are_recipients():
    with pytest.raises(ConfigError, match=r"\[email\] from is needed"):
        automation_from_mapping({"email": {"to": ["me@example.org"]}})


def test_check_ready_fails_at_start_when_the_password_variable_is_missing():
    from digest.service.deliver import check_ready

    cfg = EmailConfig(to=("a@example.org",), sender="b@example.org", username="u", password_env="NOPE_PASS")
    with pytest.raises(OutputError, match="NOPE_PASS"):
        check_ready(cfg, env={})
    check_ready(cfg, env={"NOPE_PASS": "x"})
    check_ready(EmailConfig(), env={})  # no e-mail configured: nothing to check


# --- failing loudly: exit codes, retry waits, the password check (issue 14) -------------------------

ARTICLE = ("Bridge reopens after three-year repair\n\n"
           "The city's main bridge reopened on Monday after a three-year repair that cost 40 million euros, "
           "the transport office said.\n\n"
           "\"We are proud of the crews who worked through three winters,\" the mayor, Ana Lopes, told reporters.\n\n"
           "Traffic is expected to return to normal levels by the end of the month, officials said.\n")


def project(tmp_path: Path, port: int, **email: object) -> Path:
    """A project folder with one article and a digest.toml that e-mails to a loopback ``port``."""
    (tmp_path / "news").mkdir(parents=True)
    (tmp_path / "news" / "bridge.txt").write_text(ARTICLE, encoding="utf-8")
    table = {"to": ["reader@example.org"], "from": "digest@example.org", "host": "127.0.0.1", "port": port,
             "security": "none", "retries": 1, "backoff": 0.01, "timeout": 5, **email}
    lines = [f"{k} = {json.dumps(v)}" for k, v in table.items()]
    (tmp_path / "digest.toml").write_text('[sources]\ninputs = ["news"]\n[output]\nformats = ["md", "html", "json"]\n'
                                          "[email]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def cli_in(folder: Path, *args: str, env: dict | None = None):
    from click.testing import CliRunner

    from digest.cli import cli

    import os

    runner = CliRunner()

    old = os.getcwd()
    os.chdir(folder)
    try:
        return runner.invoke(cli, list(args), env=env, catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.mark.parametrize("command", [["run"], ["schedule", "--once"]])
def test_delivery_failure_exits_5_with_the_briefing_kept_and_each_wait_printed(tmp_path, command):
    folder = project(tmp_path, free_port())  # nothing listens there
    result = cli_in(folder, *command)
    assert result.exit_code == 5, result.stderr
    assert "e-mail not sent after 2 attempt(s)" in result.stderr
    assert "e-mail attempt 1 of 2 failed: cannot reach 127.0.0.1" in result.stderr
    assert "retrying in 0.01s" in result.stderr
    assert (folder / "out" / "latest" / "briefing.md").is_file()  # the briefing is written all the same


def test_delivery_failure_code_is_its_own():
    from digest.errors import EXIT_CODES, DeliveryError, OutputError

    assert DeliveryError.exit_code == 5 and OutputError.exit_code == 4 and 5 in EXIT_CODES


def test_log_level_error_hides_the_retry_waits_but_not_the_failure(tmp_path):
    folder = project(tmp_path, free_port())
    result = cli_in(folder, "run", "--log-level", "error")
    assert result.exit_code == 5
    assert "retrying in" not in result.stderr and "e-mail not sent" in result.stderr


def test_run_with_mail_that_arrives_exits_0(tmp_path, server):
    inbox = Inbox()
    folder = project(tmp_path, server(inbox).port)
    result = cli_in(folder, "run")
    assert result.exit_code == 0, result.stderr
    assert len(inbox.messages) == 1


def test_run_checks_the_password_variable_before_it_starts(tmp_path):
    folder = project(tmp_path, free_port(), username="digest", password_env="DIGEST_TEST_SMTP_PASSWORD")
    result = cli_in(folder, "run", env={"DIGEST_TEST_SMTP_PASSWORD": ""})
    assert result.exit_code == 4
    assert "DIGEST_TEST_SMTP_PASSWORD" in result.stderr
    assert not (folder / "out").exists()  # nothing was briefed: the check came first


def test_help_lists_the_exit_codes():
    from click.testing import CliRunner

    from digest.cli import cli

    out = CliRunner().invoke(cli, ["--help"]).output
    assert "Exit codes:" in out and "5    the briefing was written but e-mailing it failed" in out


@pytest.mark.parametrize("on_demand, waits", [(True, [2.0, 4.0]), (False, [30.0, 60.0])])
def test_on_demand_runs_get_a_short_default_backoff(run_dir, on_demand, waits):
    slept: list[float] = []
    cfg = config(free_port(), backoff=None, retries=2)
    delivery = send_run(run_dir, cfg, sleep=slept.append, on_demand=on_demand)
    assert not delivery.ok and slept == waits


def test_a_set_backoff_is_kept_on_demand_too(run_dir):
    slept: list[float] = []
    send_run(run_dir, config(free_port(), backoff=7.0, retries=1), sleep=slept.append, on_demand=True)
    assert slept == [7.0]


def test_daemon_logs_a_failed_mail_as_a_warning_and_keeps_running(tmp_path):
    from datetime import datetime, timezone

    from digest.service.scheduler import Daemon, FakeClock, JobResult
    from digest.settings import ScheduleConfig

    clock = FakeClock(datetime(2026, 11, 24, 6, 59, tzinfo=timezone.utc))
    calls: list[datetime] = []

    def job(now):
        calls.append(now)
        if len(calls) == 2:
            daemon.stop()
        return JobResult("mail-failed", "e-mail FAILED after 4 attempt(s)")

    daemon = Daemon(job, ScheduleConfig(every=__import__("datetime").timedelta(minutes=1)),
                    lock_path=tmp_path / "lock", clock=clock, sleep=clock.sleep)
    import logging

    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # on the daemon's own logger: the CLI may have stopped propagation above it
    logger = logging.getLogger("digest.schedule")
    logger.addHandler(handler)
    level, logger.level = logger.level, logging.INFO  # whatever an earlier CLI test left on "digest"
    try:
        daemon.run_forever()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert len(calls) == 2  # the failure did not stop the loop
    assert [r.status for r in daemon.reports] == ["mail-failed", "mail-failed"]
    assert sum("mail-failed" in r.getMessage() for r in records if r.levelname == "WARNING") == 2


# --- the e-mail itself: parts, headers, size, one message per recipient (issue 14) ---------------

def briefing_run(tmp_path: Path, briefing: Briefing, pdf: bytes | None = None) -> Path:
    folder = tmp_path / "out" / "2026-11-24-0700"
    folder.mkdir(parents=True)
    (folder / "briefing.json").write_text(json.dumps(briefing.to_dict()), encoding="utf-8")
    if pdf:
        (folder / "briefing.pdf").write_bytes(pdf)
    return folder


@pytest.fixture
def rich_run(tmp_path, pdf_bytes) -> Path:
    from test_render import rich_briefing

    return briefing_run(tmp_path, rich_briefing(), pdf_bytes)


def test_each_recipient_gets_a_message_of_their_own_with_a_named_sender(server, rich_run):
    inbox = Inbox()
    port = server(inbox).port
    cfg = config(port, to=("ana@example.org", "Ben <ben@example.org>"), from_name="Harbour briefing")
    delivery = send_run(rich_run, cfg)
    assert delivery.ok and delivery.sent_to == cfg.to
    first, second = inbox.messages
    assert first["To"] == "ana@example.org" and second["To"] == "Ben <ben@example.org>"
    assert "Cc" not in first and "Bcc" not in first
    assert first["From"] == "Harbour briefing <digest@example.org>"
    assert first["Auto-Submitted"] == "auto-generated"
    assert first["List-Id"] == "Harbour briefing <harbour-briefing.example.org>"
    assert first["Message-ID"] != second["Message-ID"]


def test_the_display_name_defaults_to_the_briefing_title(server, run_dir):
    inbox = Inbox()
    send_run(run_dir, config(server(inbox).port))
    assert inbox.messages[0]["From"] == "Morning digest <digest@example.org>"


def test_a_retry_goes_only_to_the_recipients_not_served_yet(server, rich_run):
    inbox = Inbox()
    inbox.replies = []
    port = server(inbox).port
    original = inbox.handle_DATA
    calls = {"n": 0}

    async def flaky(server_, session, envelope):
        calls["n"] += 1
        if calls["n"] == 2:
            return "451 4.3.0 Try again later"
        return await original(server_, session, envelope)

    inbox.handle_DATA = flaky
    delivery = send_run(rich_run, config(port, to=("a@example.org", "b@example.org")), sleep=lambda _s: None)
    assert delivery.ok and delivery.attempts == 2
    assert [m["To"] for m in inbox.messages] == ["a@example.org", "b@example.org"]  # nobody got it twice


def test_plain_text_part_reads_at_72_columns_with_numbered_sources_at_the_end(server, rich_run):
    from test_render import rich_briefing

    inbox = Inbox()
    send_run(rich_run, config(server(inbox).port))
    text = inbox.messages[0].get_body(("plain",)).get_content()
    assert max(len(line) for line in text.splitlines() if "://" not in line) <= 72
    assert "<a" not in text and "](#" not in text and "**" not in text  # not Markdown, not HTML
    briefing = rich_briefing()
    sources_at = text.index("\nSOURCES\n")
    for number, source in enumerate(briefing.sources, 1):
        entry = text.index(f"[{number}]", sources_at)
        assert source.outlet in text[entry:entry + 200]
        if safe_url(source.url):
            assert source.url.split("?")[0] in text[sources_at:]
        elif source.url:
            assert source.url not in text  # a javascript: link is never shown as one
    for story in briefing.stories:
        assert story.headline.split()[0] in text
    assert "“" in text and "— " in text  # quotes set as quotes, with the speaker after a dash


def test_html_part_has_inline_styles_and_literal_quote_marks(server, rich_run):
    inbox = Inbox()
    send_run(rich_run, config(server(inbox).port))
    html = inbox.messages[0].get_body(("html",)).get_content()
    assert "<style" not in html and "var(--" not in html
    assert 'class="speaker" style="' in html
    assert "<p>“" in html.replace('<p style="margin: 0;">', "<p>") and "— <span class=\"speaker\"" in html


def big_briefing(stories: int = 12) -> Briefing:
    """A briefing whose full HTML passes the e-mail budget: many long facts per story."""
    from digest.models import Fact, SourceRef

    sources = tuple(SourceRef(f"s{i}", f"Outlet {i}", f"Title {i}", f"https://news{i}.example/a", "2026-11-24")
                    for i in range(6))
    fact = "The council published the full figures for every district on Monday, line by line. " * 3
    story_list = tuple(
        StoryBrief(headline=f"Headline number {n}", summary=f"Summary of story {n}.", sources=("s0", "s1", "s2"),
                   key_facts=tuple(Fact(f"{fact} ({n}.{k})", ("s0", "s1")) for k in range(30)))
        for n in range(stories))
    return Briefing(title="Big digest", generated_at="2026-11-24T07:00:00+00:00", sources=sources, stories=story_list)


def test_html_over_the_budget_keeps_headlines_and_summaries_and_points_to_the_pdf(tmp_path, pdf_bytes):
    from digest.render import EMAIL_HTML_BUDGET, render_email_html

    briefing = big_briefing()
    full = render_email_html(briefing, Settings(), pdf_attached=False)
    assert len(full.encode()) > EMAIL_HTML_BUDGET  # the case is real: the whole briefing does not fit
    message = build_message(briefing_run(tmp_path, briefing, pdf_bytes), config(25))
    html = message.get_body(("html",)).get_content()
    assert len(html.encode()) <= EMAIL_HTML_BUDGET
    for story in briefing.stories:
        assert story.headline in html and story.summary in html
    assert "attached PDF" in html and "(0.1)" not in html
    assert "(0.1)" in message.get_body(("plain",)).get_content()  # the text part stays whole


def test_html_over_the_budget_without_a_pdf_is_sent_whole(tmp_path):
    message = build_message(briefing_run(tmp_path, big_briefing()), config(25, attach_pdf=False))
    assert "(0.1)" in message.get_body(("html",)).get_content()


def test_send_dry_run_writes_one_eml_per_recipient_and_sends_nothing(tmp_path, rich_run):
    folder = project(tmp_path / "p", free_port(), to=["a@example.org", "b@example.org"])
    result = cli_in(folder, "send", str(rich_run), "--dry-run", str(tmp_path / "mail"))
    assert result.exit_code == 0, result.stderr
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert [f.name for f in files] == ["2026-11-24-0700-1.eml", "2026-11-24-0700-2.eml"]
    parsed = [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert [m["To"] for m in parsed] == ["a@example.org", "b@example.org"]
    assert parsed[0].get_body(("plain",)) is not None and parsed[0].get_body(("html",)) is not None


# --- the HTML part in a real browser, styles stripped as some mail clients do ------------------

CHROMIUM = Path("/usr/bin/chromium")


def visible_text(html: str, tmp_path: Path) -> str:
    """What headless Chromium shows of ``html`` (``innerText``: rendered text, CSS-generated content excluded)."""
    from html import escape

    import lxml.html

    from test_visual import chromium

    script = ("window.addEventListener('load',function(){var d=document.getElementById('f').contentDocument;"
              "document.body.setAttribute('data-text',d.body.innerText);});")
    page = tmp_path / "harness.html"
    page.write_text(f"<!DOCTYPE html><html><body><iframe id='f' style='width:800px;height:600px' "
                    f"srcdoc=\"{escape(html, quote=True)}\"></iframe><script>{script}</script></body></html>",
                    encoding="utf-8")
    dom = chromium("--dump-dom", "--virtual-time-budget=5000", page.as_uri())
    return lxml.html.fromstring(dom).find("body").get("data-text")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium missing: apt-get install chromium")
def test_html_part_still_reads_in_chromium_with_every_style_removed(rich_run, tmp_path):
    import re

    from test_render import rich_briefing

    message = build_message(rich_run, config(25))
    html = message.get_body(("html",)).get_content()
    stripped = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    stripped = re.sub(r'\sstyle="[^"]*"', "", stripped)  # a client that drops inline styles too
    assert "style=" not in stripped
    shown = visible_text(stripped, tmp_path)
    for story in rich_briefing().stories:
        for quote in story.quotes:
            assert f"“{quote.text}”" in shown  # the quote marks are text, not CSS
            assert f"— {quote.speaker}" in shown  # and so is the dash before the speaker
    assert "Sources" in shown
