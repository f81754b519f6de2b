"""The Jinja2 engine of the hot-path fragments, and the digest of every template that keys rendered pages.

Pages are Django templates; the fragments rendered thousands of times a page or on every change of a
week (the journal grid's cells, summaries and column headers, the diary's days and marks) are Jinja2
templates under `<app>/jinja2/`, compiled to Python once per process (decision 0025). Both engines
read the same gettext catalogs and the same display filters (the apps' template libraries), so a
fragment reads as Russian as the page around it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import re
import unicodedata
from importlib import import_module
from pathlib import Path
from typing import Any

from django.template import engines
from django.template.defaultfilters import capfirst, filesizeformat, linebreaksbr, truncatewords
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from jinja2 import Environment, StrictUndefined, nodes
from jinja2.compiler import CodeGenerator, Frame

JINJA2 = "jinja2"  # the engine's NAME in settings.TEMPLATES


@functools.lru_cache(maxsize=4096)
def _gettext(message: str, language: str | None) -> str:
    with translation.override(language):
        return translation.gettext(message)


def gettext(message: str) -> str:
    """Django's gettext, memoised per process and language (a week page asks for the same texts per lesson)."""
    return _gettext(message, translation.get_language())


def ngettext(singular: str, plural: str, number: int) -> str:
    """Django's ngettext: the Russian plural forms of the catalog."""
    return translation.ngettext(singular, plural, number)


def truncatechars(text: str, length: int) -> str:
    """Django's `truncatechars` filter, without its cost for a text that fits (it is only normalised, as the
    filter does): a term's grid truncates three texts a column."""
    if len(text) <= length:
        return unicodedata.normalize("NFC", text)
    return Truncator(text).chars(length)


def strftime(value: dt.date, pattern: str) -> str:
    """`day|strftime("%d.%m.%Y")`: a date in a fixed numeric form (a filter is a plain call; a method call in a
    template goes through Jinja2's `Context.call`)."""
    return format(value, pattern)


def fill(pattern: str, /, **values: Any) -> str:
    """`history_url|fill(lesson=…, student=…)`: a `str.format` pattern filled (`url_pattern`)."""
    return pattern.format(**values)


def format_text(text: str, /, **values: Any) -> str:
    """`_("…%(name)s…")|format(name=…)`: the filter of Jinja2 without its positional `value`, a placeholder of
    the catalogs (`%(value)s`)."""
    return text % values


def escape_text(value: Any) -> str:
    """Autoescape as Django's templates escape (`html.escape`: «&quot;», «&#x27;»), as a plain str: a number
    needs none, an object with `__html__` (SafeString, Markup) is already HTML."""
    if value.__class__ is str:
        return html.escape(value) if _SPECIAL.search(value) else value
    if value.__class__ is int:
        return str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


_SPECIAL = re.compile("[&<>\"']")


class _CodeGenerator(CodeGenerator):
    """Jinja2's code with two costs of a cell of the grid taken out (a term's grid has a thousand cells, each
    printing a dozen values): `x.name` is Python's attribute access (not `environment.getattr`, which falls back
    to `x["name"]`), and a printed value is escaped by `escape_text` (not into a Markup object per value)."""

    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        self.write("(")
        self.visit(node.node, frame)
        self.write(f").{node.attr}")

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.escape_text(")
            if finalize.src is not None:
                self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)


class _Environment(Environment):
    code_generator_class = _CodeGenerator
    escape_text = staticmethod(escape_text)


def environment(*, libraries: tuple[str, ...] = (), **options: Any) -> Environment:
    """The Jinja2 environment (settings.TEMPLATES): autoescape, undefined names are errors, gettext and the
    display filters of Django's templates; `libraries`: Django template libraries whose filters it takes."""
    options["undefined"] = StrictUndefined
    options["autoescape"] = True  # whatever the settings say: every fragment is HTML
    env = _Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=False)  # type: ignore[attr-defined]  # by the extension
    env.globals["_"] = gettext  # itself, not the extension's alias that calls it through the context a second time
    # Django's meanings of these names (Jinja2 has its own `filesizeformat`, in other units).
    env.filters.update(capfirst=capfirst, filesizeformat=filesizeformat, linebreaksbr=linebreaksbr,
                       truncatechars=truncatechars, truncatewords=truncatewords, format=format_text,
                       strftime=strftime, fill=fill)  # fmt: skip
    for path in libraries:  # the project's display filters (ru_format, diary_format…): one source for both engines
        env.filters.update(import_module(path).register.filters)
    env.globals["url"] = lambda name, *args: reverse(name, args=args)
    return env


def render_fragment(name: str, /, **context: Any) -> SafeString:
    """A Jinja2 template rendered with `context` (no request, no context processors: a fragment prints what
    it is given)."""
    env = engines[JINJA2].env  # type: ignore[attr-defined]  # the Jinja2 backend's
    return mark_safe(env.get_template(name).render(context))  # noqa: S308 - autoescaped by Jinja2


def render_macro(name: str, macro: str, /, *args: Any) -> SafeString:
    """A macro of the Jinja2 template `name` called with `args`: the template's module is made once per process,
    cheaper than rendering a template that imports the macro (tens of microseconds each time), for a fragment
    rendered many times a page (the marks of each subject)."""
    env = engines[JINJA2].env  # type: ignore[attr-defined]  # the Jinja2 backend's
    return mark_safe(getattr(env.get_template(name).module, macro)(*args))  # noqa: S308 - autoescaped by Jinja2


@functools.cache
def templates_digest() -> str:
    """A digest of the sources of every template of every engine, computed once per process: part of the
    key of every cached rendered page, so a deploy that changes any template never serves HTML made by
    another (no prefix to bump by hand)."""
    return digest_of(*(d for engine in engines.all() for d in engine.template_dirs))


def digest_of(*dirs: str | Path) -> str:
    """The digest of the files under `dirs`: their paths (relative to their directory) and contents."""
    digest = hashlib.blake2b(digest_size=6)
    for root in dict.fromkeys(Path(d) for d in dirs):
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(f"{path.relative_to(root)}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()
