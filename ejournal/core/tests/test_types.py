"""mypy runs in `make test` (the Makefile, before pytest); these tests show that it fails on a type error and
that every `# type: ignore` names its code and carries its reason (docs/decisions/0023-mypy.md).

The tree itself is checked once, by `make test`; here mypy checks one small module only: with the project's
config (django-stubs' plugin, the strict rules of services), standing in for `ejournal/support/services.py`
(`--shadow-file`), on a copy of the project's cache so that the real one never holds the stand-in.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
STAND_IN = ROOT / "ejournal" / "support" / "services.py"

PROBE = """\
from ejournal.schools.models import School


def school_name(school: School) -> int:
    return school.short_name


def schools_counted(schools):
    return len(schools)
"""


def test_mypy_refuses_a_type_error_and_an_untyped_service_under_the_projects_config(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    cache = tmp_path / "mypy_cache"
    if (ROOT / ".mypy_cache").is_dir():  # warm after `make test`'s own run: seconds, not a minute
        shutil.copytree(ROOT / ".mypy_cache", cache)
    command = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(cache),
               "--shadow-file", str(STAND_IN), str(probe), str(STAND_IN)]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    out = done.stdout
    assert done.returncode == 1, out + done.stderr
    # The plugin types a model's CharField as str: returning it as an int is refused.
    assert 'services.py:5: error: Incompatible return value type (got "str", expected "int")  [return-value]' in out
    # A services module types every signature (`disallow_untyped_defs`).
    assert "services.py:8: error: Function is missing a type annotation  [no-untyped-def]" in out


IGNORE = re.compile(r"#\s*type:\s*ignore(?P<code>\[[^\]]*\])?(?P<rest>.*)$")


def test_every_type_ignore_names_its_code_and_carries_its_reason():
    bare = []
    for path in sorted((ROOT / "ejournal").rglob("*.py")):
        if path == Path(__file__).resolve():  # its own text names the rule
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found = IGNORE.search(line)
            if found and not (found["code"] and re.match(r"\s+#\s*\S", found["rest"])):
                bare.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not bare, "a `# type: ignore[code]` needs its reason in a comment after it:\n" + "\n".join(bare)
