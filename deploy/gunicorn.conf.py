"""gunicorn settings of an app node (deploy/cluster.sh and deploy/systemd/ejournal-app@.service).

Stateless: sessions and the cache are in PostgreSQL and Redis, so any node answers any request and a node can be
stopped at any moment (nginx sends the next requests to the others). Prometheus' samples of the node's
processes go to PROMETHEUS_MULTIPROC_DIR, emptied when the node starts.
"""

import os
import shutil

wsgi_app = "ejournal.wsgi:application"
workers = int(os.environ.get("APP_WORKERS", "2"))
threads = int(os.environ.get("APP_THREADS", "2"))
# A request that takes longer than this is a stuck worker: gunicorn kills and replaces it.
timeout = int(os.environ.get("APP_TIMEOUT", "60"))
graceful_timeout = 30  # a stop (deploy, upgrade) lets the requests in flight finish: no save is cut off
keepalive = 5  # nginx keeps its upstream connections open (keepalive 32)
max_requests = 20000  # a slow leak cannot grow for ever
max_requests_jitter = 2000
backlog = 2048
accesslog = None  # nginx logs every request; the app logs its own events (LOG_FORMAT=json)
errorlog = "-"
loglevel = "warning"


def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
