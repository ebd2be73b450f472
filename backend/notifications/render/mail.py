"""E-mails as people receive them: multipart text + HTML from pwa/templates/email, in the
person's language, with List-Unsubscribe for everything that is not a legal notice.

Legal notices (e-address) never carry List-Unsubscribe: a one-click "unsubscribe" from the
notices of official messages is exactly how people lost them in 2024. They are switched off,
deliberately, in the notification settings — with a warning.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from backend.lib import i18n
from backend.lib.assets import TEMPLATES_DIR
from backend.notifications.render.messages import Rendered


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR / "email"),
        # HTML parts are escaped; the text parts must not be (an "&" stays an "&").
        autoescape=select_autoescape(["html"], default_for_string=False, default=False),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["current_language"] = i18n.current_language.get
    return env


def _compose(
    template: str, context: dict[str, object], *, subject: str, to: str, sender: str
) -> EmailMessage:
    env = environment()
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "vienuviet.example"
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
    message.set_content(env.get_template(f"{template}.txt").render(context))
    message.add_alternative(env.get_template(f"{template}.html").render(context), subtype="html")
    # After add_alternative, which moves Content-* headers into the first part.
    message["Content-Language"] = i18n.current_language.get()
    return message


def notification_email(
    rendered: Rendered,
    *,
    to: str,
    sender: str,
    settings_url: str,
    unsubscribe_url: str | None,
    legal: bool,
) -> EmailMessage:
    """A notice e-mail in the current language (see `messages.in_language`)."""
    message = _compose(
        "notification",
        {
            "title": rendered.title,
            "body": rendered.body,
            "link": rendered.link,
            "settings_url": settings_url,
            "unsubscribe_url": None if legal else unsubscribe_url,
            "legal": legal,
        },
        subject=rendered.title,
        to=to,
        sender=sender,
    )
    if unsubscribe_url and not legal:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058
    return message


def verification_email(code: str, *, to: str, sender: str, valid_minutes: int) -> EmailMessage:
    return _compose(
        "verification",
        {"code": code, "valid_minutes": valid_minutes},
        subject=i18n.gettext("Your Vienuviet confirmation code"),
        to=to,
        sender=sender,
    )
