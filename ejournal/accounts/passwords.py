"""The one-time passwords of credential slips: Argon2 at the OWASP floor, not at the sign-in cost.

A sheet of slips for a class hashed one password per parent with the site's Argon2 (100 MiB, t=2): 0.35 s
of CPU each, 21 s for a class, in the request. A slip's password is not a person's choice: it is random
(`people.credentials.password_generate`, at least 10 of 55 unambiguous characters: ≥ 57 bits), has to be
changed at the first sign-in (`must_change_password`), and Django re-hashes it at the site's cost on that
sign-in (`must_update`). Guessing one offline at these parameters (OWASP's minimum for Argon2id: 19 MiB,
t=2, p=1; 0.04 s of CPU) costs ~2^57 hashes, far more than a policy-admitted 8-character password chosen by
a person at the full cost; the site's policy (PASSWORD_HASHERS, the validators) is unchanged. Settings
below the floor are refused at start-up (settings.py). See docs/decisions/0009-ask-first-and-fast-documents.md.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, make_password


class OneTimeArgon2PasswordHasher(Argon2PasswordHasher):
    """The site's Argon2 (the same encoded form, verified by it) with the one-time passwords' parameters."""

    @property
    def time_cost(self) -> int:  # type: ignore[override]  # read from the settings when hashing
        return settings.CREDENTIALS_ARGON2_TIME_COST

    @property
    def memory_cost(self) -> int:  # type: ignore[override]  # read from the settings when hashing
        return settings.CREDENTIALS_ARGON2_MEMORY_KIB

    @property
    def parallelism(self) -> int:  # type: ignore[override]  # read from the settings when hashing
        return settings.CREDENTIALS_ARGON2_PARALLELISM


def one_time_password_hash(password: str) -> str:
    """The encoded hash of a slip's password; the site's own hasher when it is not Argon2 (tests use MD5)."""
    if isinstance(get_hasher(), Argon2PasswordHasher):
        return make_password(password, hasher=OneTimeArgon2PasswordHasher())
    return make_password(password)
