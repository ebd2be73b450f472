"""Getting word to people: Web Push, e-mail, SMS, the notification engine and domain events."""

from __future__ import annotations

from backend.settings.declare import Context, setting, settings_group
from backend.settings.push_origins import DEFAULT_PUSH_ORIGINS, PushOrigin, parse_push_origins

SMTP_SCHEMES = ("smtp://", "smtps://", "smtp+starttls://")


def _push_origins(raw: str, ctx: Context) -> tuple[PushOrigin, ...]:
    return parse_push_origins(raw, debug=ctx.debug)


@settings_group
class PushSettings:
    """Web Push."""

    vapid_private_key: str | None = setting(
        "VAPID_PRIVATE_KEY",
        secret=True,
        default=None,
        doc="VAPID private key (PEM or base64url). Unset: generated once into VAR_DIR "
        "(`vienuviet vapid` prints the public key).",
    )
    vapid_subject: str = setting(
        "VAPID_SUBJECT",
        default="mailto:support@vienuviet.example",
        doc="Contact for the push services (a mailto: or https: URL).",
    )
    timeout_s: float = setting(
        "PUSH_TIMEOUT_S",
        default=10.0,
        ge=0,
        doc="Longest wait for a push service to answer one message (seconds).",
    )
    concurrency: int = setting(
        "PUSH_CONCURRENCY",
        default=64,
        ge=1,
        doc="Push requests in flight per process (every delivery loop of a worker shares them).",
    )
    ttl_s: int = setting(
        "PUSH_TTL_S",
        ge=0,
        default=24 * 3600,
        doc="How long a push service keeps an ordinary notice for an offline device (seconds).",
    )
    legal_ttl_s: int = setting(
        "PUSH_LEGAL_TTL_S",
        ge=0,
        default=28 * 24 * 3600,
        doc="The same for legal notices (e-address), kept as long as push services allow.",
    )
    allowed_origins: tuple[PushOrigin, ...] = setting(
        "PUSH_ALLOWED_ORIGINS",
        default=parse_push_origins(",".join(DEFAULT_PUSH_ORIGINS), debug=False),
        parse=_push_origins,
        doc="The only origins push subscriptions may point at (and pushes go to), "
        "comma-separated: scheme://host[:port], `*.domain` for the hosts below a domain, `:*` "
        "for any port. Names must resolve to public addresses (checked when stored and at every "
        "connection). Default: the push services browsers use (FCM, Mozilla, Apple, Windows). "
        "Loopback only in development (DEBUG=1) and only named as an address, e.g. "
        "`,http://127.0.0.1:*`. See docs/push-services.md.",
    )


@settings_group
class EmailSettings:
    """E-mail."""

    smtp_url: str = setting(
        "SMTP_URL",
        secret=True,
        default="smtp://127.0.0.1:8025",
        schemes=SMTP_SCHEMES,
        doc="smtp://host:port, smtps://user:password@host:465 (implicit TLS) or "
        "smtp+starttls://…. `make run` starts a development mail sink at this default address "
        "(mail saved under VAR_DIR/mail).",
    )
    sender: str = setting(
        "EMAIL_SENDER",
        default="Vienuviet <no-reply@vienuviet.example>",
        doc="The From header of every e-mail.",
    )
    timeout_s: float = setting(
        "SMTP_TIMEOUT_S",
        default=15.0,
        ge=0,
        doc="Longest wait for the SMTP server at each step (seconds).",
    )
    concurrency: int = setting(
        "SMTP_CONCURRENCY", default=4, ge=1, doc="SMTP sessions open at once per delivery loop."
    )


@settings_group
class SMSSettings:
    """SMS."""

    gateway_url: str = setting(
        "SMS_GATEWAY_URL",
        default="http://127.0.0.1:8100/sms",
        doc="HTTP endpoint of the SMS gateway; the registry sandbox plays one and records what "
        "it was sent.",
    )
    token: str = setting(
        "SMS_GATEWAY_TOKEN",
        secret=True,
        default="vienuviet-sms-token",
        doc="API key sent to the gateway as `Authorization: Bearer …` (by default the "
        "sandbox's development key).",
    )
    sender: str = setting(
        "SMS_SENDER",
        default="Vienuviet",
        max_length=11,
        doc="Alphanumeric sender id shown on the phone (at most 11 characters).",
    )
    max_segments: int = setting(
        "SMS_MAX_SEGMENTS",
        default=3,
        ge=1,
        doc="Longer messages are refused: each segment is billed.",
    )
    timeout_s: float = setting(
        "SMS_TIMEOUT_S", default=10.0, ge=0, doc="Longest wait for the gateway (seconds)."
    )


@settings_group
class NotificationSettings:
    """Notification engine: outbox claims, retries, channel health, verification codes."""

    give_up_after_s: int = setting(
        "NOTIFY_GIVE_UP_AFTER_S",
        default=48 * 3600,
        ge=1,
        doc="A notification still undelivered this long after it was due is marked failed "
        "(legal ones are then listed by `vienuviet report undelivered`).",
    )
    lease_s: int = setting(
        "NOTIFY_LEASE_S",
        default=120,
        ge=1,
        doc="A claimed batch not finished within this is put back by the sweeper (a crashed "
        "worker).",
    )
    batch_size: int = setting(
        "NOTIFY_BATCH_SIZE", default=200, ge=1, doc="Outbox rows one delivery loop claims at once."
    )
    delivery_loops: int = setting(
        "NOTIFY_DELIVERY_LOOPS", default=2, ge=1, doc="Delivery loops per worker process."
    )
    poll_interval_s: float = setting(
        "NOTIFY_POLL_INTERVAL_S",
        default=0.5,
        ge=0,
        doc="How often an idle delivery loop looks for due work (seconds).",
    )
    backoff_base_s: float = setting(
        "NOTIFY_BACKOFF_BASE_S",
        default=30.0,
        ge=0,
        doc="The first retry comes after about this long (seconds); the wait doubles per attempt.",
    )
    backoff_max_s: float = setting(
        "NOTIFY_BACKOFF_MAX_S",
        default=3600.0,
        ge=0,
        doc="Cap of one retry wait (seconds); a Retry-After may ask for longer.",
    )
    unhealthy_after: int = setting(
        "NOTIFY_UNHEALTHY_AFTER",
        default=3,
        ge=1,
        doc="Consecutive failed deliveries that mark an address, number or device unhealthy.",
    )
    code_ttl_s: int = setting(
        "NOTIFY_CODE_TTL_S",
        default=15 * 60,
        ge=1,
        doc="A verification code expires after this long (seconds).",
    )
    code_max_attempts: int = setting(
        "NOTIFY_CODE_MAX_ATTEMPTS", default=5, ge=1, doc="Wrong guesses allowed per code."
    )
    code_sends_per_hour: int = setting(
        "NOTIFY_CODE_SENDS_PER_HOUR",
        default=5,
        ge=1,
        doc="Verification messages per person (and per address) per hour.",
    )
    api_per_minute: int = setting(
        "NOTIFY_API_PER_MINUTE",
        default=1200,
        ge=1,
        doc="Calls of the institution notification API (/api/notify/v1) per institution per "
        "minute; more answer 429 with Retry-After.",
    )
    daily_cap_per_recipient: int = setting(
        "NOTIFY_DAILY_CAP_PER_RECIPIENT",
        default=10,
        ge=1,
        doc="Institution notices one person receives per day (Riga), from all institutions "
        "together; the rest are recorded as `capped`, not sent.",
    )


@settings_group
class EventSettings:
    """Domain events: the outbox features write and consumers read (backend/events)."""

    max_attempts: int = setting(
        "EVENTS_MAX_ATTEMPTS",
        default=10,
        ge=1,
        doc="A consumer's failed attempts per event before it is dead-lettered (`vienuviet "
        "report dead-letters` lists them, `vienuviet events retry ID|--all` puts them back).",
    )
    backoff_base_s: float = setting(
        "EVENTS_BACKOFF_BASE_S",
        default=30.0,
        ge=0,
        doc="The first retry comes after about this long (seconds); the wait doubles per "
        "attempt, with jitter.",
    )
    backoff_cap_s: float = setting(
        "EVENTS_BACKOFF_CAP_S", default=3600.0, ge=0, doc="Cap of one retry wait (seconds)."
    )
    lease_s: float = setting(
        "EVENTS_LEASE_S",
        default=300.0,
        ge=0,
        doc="A claimed event whose consumer neither finished nor failed it within this (its "
        "worker died) is offered again, the attempt counted (seconds).",
    )
