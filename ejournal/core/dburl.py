"""DATABASE_URL with several hosts, as libpq takes them (`postgres://u@h1:5432,h2:5432/db?…`).

pg_auto_failover hands the application one URL naming every node with `target_session_attrs=read-write`: libpq
tries the hosts in turn and keeps the one that accepts writes, so after a failover a new connection finds the
new primary by itself. dj-database-url reads one host only; this passes the list to libpq unchanged (Django
gives HOST and PORT to psycopg as they are, and libpq splits them at the commas).
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import dj_database_url


def database_parse(url: str, **kwargs) -> dj_database_url.DBConfig:
    """Django's DATABASES entry for `url`; a comma-separated host list becomes libpq's HOST and PORT lists."""
    parts = urlsplit(url)
    userinfo, _at, hostlist = parts.netloc.rpartition("@")
    if "," not in hostlist:
        return dj_database_url.parse(url, **kwargs)
    hosts, ports = [], []
    items = hostlist.split(",")
    for item in items:
        host, _colon, port = item.partition(":") if not item.startswith("[") else _bracketed(item)
        hosts.append(host)
        ports.append(port or "5432")
    first = f"{userinfo}@{items[0]}" if userinfo else items[0]
    config = dj_database_url.parse(urlunsplit(parts._replace(netloc=first)), **kwargs)
    config["HOST"], config["PORT"] = ",".join(hosts), ",".join(ports)
    return config


def _bracketed(item: str) -> tuple[str, str, str]:
    """`[::1]:5432` → ('::1', ':', '5432')."""
    host, _bracket, rest = item[1:].partition("]")
    return host, ":", rest.removeprefix(":")
