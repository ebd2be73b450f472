"""E-address failures with their HTTP status and stable codes (documented in the OpenAPI)."""

from __future__ import annotations

from collections.abc import Sequence

from backend.lib.errors import AppError, NotFound


class PayloadTooLarge(AppError):
    status_code = 413
    code = "payload_too_large"


class AttachmentTooLarge(PayloadTooLarge):
    code = "attachment_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"An attachment is larger than {limit} bytes.")


class MessageTooLarge(PayloadTooLarge):
    code = "message_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"The message is larger than {limit} bytes in all.")


class TooManyAttachments(AppError):
    status_code = 422
    code = "too_many_attachments"

    def __init__(self, limit: int) -> None:
        super().__init__(f"A message may carry at most {limit} attachments.")


class UnsupportedAttachmentType(AppError):
    status_code = 415
    code = "unsupported_attachment_type"

    def __init__(self, allowed: Sequence[str]) -> None:
        super().__init__(
            "An attachment's content is not of an accepted type "
            f"({', '.join(allowed)}); the type is judged by content, not by name."
        )


class MessageNotFound(NotFound):
    code = "message_not_found"

    def __init__(self) -> None:
        super().__init__("No such message.")


class AttachmentNotFound(NotFound):
    code = "attachment_not_found"

    def __init__(self) -> None:
        super().__init__("No such attachment.")
