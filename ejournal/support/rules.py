"""The support desk's numbers: every one a setting (`EJ_SUPPORT` in Django settings), these are the defaults."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # One attachment at most this large; at most this many per message.
    "attachment_max_bytes": 5 * 1024 * 1024,
    "attachments_per_message": 5,
    # Screenshots, documents and tables; never executables or archives.
    "attachment_extensions": (".pdf", ".png", ".jpg", ".jpeg", ".txt", ".docx", ".xlsx", ".odt", ".ods"),
}


def support_setting(name: str) -> Any:
    return {**DEFAULTS, **(getattr(settings, "EJ_SUPPORT", None) or {})}[name]
