"""A `redis-server` process of a test's own, on a free port of 6391–6395, that the test stops, starts and freezes.

Never the shared Redis on 6379: stopping or freezing that one would break everybody else's runs.
Persistence is off (`--save "" --appendonly no`): a restart starts empty, as a crashed cache does.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

PORTS = range(6391, 6396)
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


class RedisProcess:
    """One redis-server: `stop()` (SIGTERM), `start()` again on the same port, `freeze()` (SIGSTOP), `thaw()`."""

    def __init__(self) -> None:
        self.port = next((p for p in PORTS if _port_free(p)), None)
        if self.port is None:
            raise RuntimeError(f"no free port for a test redis-server in {PORTS}")
        self.dir = tempfile.mkdtemp(prefix="ej-redis-")
        self.process: subprocess.Popen | None = None
        self.frozen = False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def start(self) -> RedisProcess:
        args = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", self.dir, "--loglevel", "warning"]  # fmt: skip
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603 - our own arguments
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return self
            except Exception:  # not listening yet
                time.sleep(0.05)
        raise RuntimeError("the test redis-server did not start")

    def stop(self) -> None:
        """End the server as a crash or a restart would (SIGTERM; its data are gone: no persistence)."""
        if self.process is not None:
            if self.frozen:
                self.thaw()
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
            self.process = None

    def freeze(self) -> None:
        """SIGSTOP: the port still accepts connections (the kernel's backlog) but nothing answers."""
        assert self.process is not None  # started
        os.kill(self.process.pid, signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        assert self.process is not None  # started
        os.kill(self.process.pid, signal.SIGCONT)
        self.frozen = False

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def unused_redis_url() -> str:
    """A Redis address where nothing listens (a stopped server): every connect is refused at once."""
    port = next((p for p in reversed(PORTS) if _port_free(p)), None)
    if port is None:
        raise RuntimeError(f"no free port in {PORTS}")
    return f"redis://127.0.0.1:{port}/0"
