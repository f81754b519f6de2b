"""The sign-in pool in the production topology (issue 20): nginx sends the login form's POST to a gunicorn pool
of its own under SCHED_IDLE, with the app nodes behind it as backups; `deploy/cluster.sh` fills in its port.
Where nginx is installed the rendered configuration is checked by `nginx -t` too."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"
TEMPLATE = (DEPLOY / "nginx.conf.template").read_text()


def _block(text: str, head: str) -> str:
    """The body of the `head { … }` block (no nested braces in the blocks asked)."""
    match = re.search(re.escape(head) + r"\s*\{([^{}]*)\}", text)
    assert match, head
    return match.group(1)


def _render(ports: dict[str, str], directory: Path) -> str:
    """The template as `deploy/cluster.sh render` fills it in (every @NAME@ it knows)."""
    names = set(re.findall(r"s#@([A-Z0-9_]+)@#", (DEPLOY / "cluster.sh").read_text()))
    values = {"RUN": directory, "LOG": directory, "NGINX": directory, "STATIC": directory, **ports}
    text = TEMPLATE
    for name in names:
        text = text.replace(f"@{name}@", str(values.get(name, directory)))
    return text


def test_the_login_post_goes_to_the_signin_pool_and_its_get_to_the_app_nodes():
    assert "proxy_pass http://$signin_upstream;" in _block(TEMPLATE, "location = /accounts/login/")
    mapping = _block(TEMPLATE, "map $request_method $signin_upstream")
    assert re.search(r"\bPOST\s+ejournal_signin;", mapping)
    assert re.search(r"\bdefault\s+ejournal;", mapping)


def test_the_app_nodes_take_the_sign_ins_while_the_pool_is_down():
    upstream = _block(TEMPLATE, "upstream ejournal_signin")
    assert re.search(r"server 127\.0\.0\.1:@SIGNIN_PORT@[ ;]", upstream)
    for port in ("@APP1_PORT@", "@APP2_PORT@"):
        assert re.search(rf"server 127\.0\.0\.1:{port} backup;", upstream)


def test_cluster_sh_fills_in_every_name_and_starts_the_pool_under_sched_idle():
    script = (DEPLOY / "cluster.sh").read_text()
    rendered = _render({}, Path("/x"))
    assert "@" not in re.sub(r"#.*", "", rendered), "a name of the template that cluster.sh does not fill in"
    assert re.search(r"chrt --idle 0 \"\$BIN/gunicorn\".*\n?.*SIGNIN_PORT", script)
    assert "SIGNIN_CONCURRENCY=1" in script
    assert re.search(r"SIGNIN_PORT=\$\{SIGNIN_PORT:-8103\}", (DEPLOY / "cluster.env").read_text())


def test_the_systemd_unit_runs_the_pool_idle_on_the_port_nginx_names():
    unit = (DEPLOY / "systemd" / "ejournal-signin.service").read_text()
    assert "CPUSchedulingPolicy=idle" in unit
    assert "SIGNIN_CONCURRENCY=1" in unit
    assert "--bind 127.0.0.1:8103" in unit


def test_nginx_accepts_the_rendered_configuration(tmp_path):
    """`nginx -t` on the rendered file where nginx is installed (`make cluster` installs it); the rendering and
    the blocks above are checked everywhere."""
    (tmp_path / "tmp").mkdir()
    conf = tmp_path / "nginx.conf"
    ports = {"APP1_PORT": "18101", "APP2_PORT": "18102", "SIGNIN_PORT": "18103", "NGINX_PORT": "18080"}
    conf.write_text(_render(ports, tmp_path))
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx and Path("/etc/nginx/mime.types").exists():
        command = [nginx, "-t", "-q", "-c", str(conf), "-p", str(tmp_path)]
        done = subprocess.run(command, capture_output=True, text=True)  # noqa: S603 - our own file
        assert done.returncode == 0, done.stderr
    assert "server 127.0.0.1:18103" in conf.read_text()
