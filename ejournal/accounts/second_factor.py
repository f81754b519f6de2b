"""The second factor: TOTP devices (django-otp) and one-time recovery codes; reads and writes with their audit.

A user *must* have one when any role they hold today is in `settings.OTP_REQUIRED_ROLES`;
anyone else may enrol one and then is asked for it too. Wrong codes are counted by
django-axes together with wrong passwords (see `views_second_factor`).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record

from .models import RecoveryCode, User

RECOVERY_CODES = 10
# Unambiguous letters and digits (no 0/O, 1/I/L): 16 of them carry 80 bits.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE_LENGTH = 16
DEVICE_NAME = "TOTP"


@lru_cache(maxsize=1)
def _roles_of_user():
    return import_string(settings.OTP_ROLES_OF_USER)


def second_factor_required(user: User) -> bool:
    """True when a role the user holds today is one of OTP_REQUIRED_ROLES."""
    required = set(settings.OTP_REQUIRED_ROLES)
    return bool(required) and bool(required & set(_roles_of_user()(user)))


def totp_device_of(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def second_factor_step(user: User) -> str:
    """What the sign-in asks after the password: "code" (a device is set), "enrol" (required, none set) or ""."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return "code"
    return "enrol" if second_factor_required(user) else ""


def totp_key_new() -> str:
    """A fresh 160-bit TOTP key in hex (django-otp's storage form)."""
    return secrets.token_hex(20)


def totp_device_unsaved(user: User, key: str) -> TOTPDevice:
    """A device not yet stored: it draws the QR code and checks the first code before enrolment."""
    return TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=False)


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _code_new() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _CODE_LENGTH, 4))


@transaction.atomic
def recovery_codes_issue(*, user: User, actor: Actor | None) -> list[str]:
    """Replace the user's recovery codes with new ones; the plain codes are shown once and never stored."""
    codes = [_code_new() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_hash(c)) for c in codes])
    audit_record(actor=actor, action="recovery_codes_issue", obj=user, changes={"recovery_codes": [None, len(codes)]})
    return codes


@transaction.atomic
def totp_device_confirm(*, user: User, key: str, token: str, actor: Actor | None) -> list[str] | None:
    """Store the device if `token` is its current code; return the first recovery codes, or None if wrong.

    A device set before (a second phone) is replaced: one device per person keeps the reset simple.
    """
    device = totp_device_unsaved(user, key)
    token = token.strip().replace(" ", "")
    if not (token.isdigit() and len(token) == device.digits):
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(token), device.tolerance):
        return None
    User.objects.select_for_update().filter(pk=user.pk).first()  # two tabs enrolling: one at a time
    TOTPDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.last_t = totp.t()  # the code typed to enrol cannot sign in again
    device.save()
    audit_record(actor=actor, action="second_factor_enrol", obj=user, changes={"second_factor": [None, "totp"]})
    return recovery_codes_issue(user=user, actor=actor)


def second_factor_verify(*, user: User, code: str) -> str | None:
    """Check a code at sign-in: "totp" or "recovery" when it is good (a recovery code is spent), else None.

    The device row is locked, so a code cannot be used twice by two requests at once
    (django-otp refuses a time step not later than the last one used).
    """
    code = (code or "").strip()
    digits = code.replace(" ", "")
    if digits.isdigit() and len(digits) == 6:
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("id").first()
            if device is not None and device.verify_token(digits):
                return "totp"
        return None
    if len(_normalise(code)) != _CODE_LENGTH:
        return None
    spent = RecoveryCode.objects.filter(user=user, code_hash=_hash(code), used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if spent:
        audit_record(actor=None, action="recovery_code_use", obj=user, changes={})
        return "recovery"
    return None


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def second_factor_remove(*, user: User, actor: Actor | None, reason: str = "", school_id: int | None = None) -> bool:
    """Forget the user's device and recovery codes (a lost phone, or switching it off); recorded with who did it.

    Returns False when there was nothing to remove (nothing is recorded then).
    """
    devices, _ = TOTPDevice.objects.filter(user=user).delete()
    codes, _ = RecoveryCode.objects.filter(user=user).delete()
    if not devices and not codes:
        return False
    action = "second_factor_remove" if actor and actor.user_id == user.pk else "second_factor_reset"
    audit_record(
        actor=actor,
        action=action,
        obj=user,
        school_id=school_id,
        changes={"second_factor": ["totp", None]},
        reason=reason,
    )
    return True
