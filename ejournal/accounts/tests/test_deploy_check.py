"""The production configuration passes Django's deployment checklist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _check_deploy(**env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _rsa_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def test_check_deploy_passes_in_production_mode():
    result = _check_deploy(
        DJANGO_PRODUCTION="1",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="example.ru",
        OIDC_RSA_PRIVATE_KEY=_rsa_key_pem(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DJANGO_PRODUCTION": "1"}, "DJANGO_SECRET_KEY is required"),
        ({"DJANGO_PRODUCTION": "1", "DJANGO_SECRET_KEY": "x" * 60, "DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        ({"DJANGO_PRODUCTION": "1", "DJANGO_SECRET_KEY": "x" * 60, "DJANGO_ALLOWED_HOSTS": "example.ru"}, "OIDC_RSA"),
    ],
)
def test_production_refuses_to_start_with_bad_configuration(env, message):
    result = _check_deploy(**env)
    assert result.returncode != 0
    assert message in result.stderr
