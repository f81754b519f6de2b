"""What a browser would post from a page: the values of a form's controls, read from the rendered HTML.

Follows the HTML rules that matter for a round trip: unchecked checkboxes and
radios send nothing; a single select without a selected option sends its first
option; a textarea drops one newline right after its start tag; disabled
controls, buttons and file inputs send nothing (files are picked again); and
the value of a date, time, month or number input that is not in the one format
the browser reads (`2026-12-10`, not `10.12.2026`) is thrown away: the field
shows empty and posts "" (the HTML standard's value sanitization).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

SKIPPED_TYPES = frozenset({"submit", "button", "image", "reset", "file"})
_NUMBER = r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?"
_TIME = r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?"
# https://html.spec.whatwg.org/multipage/input.html — the valid strings of each input type
SANITIZED = {
    "date": re.compile(r"\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"),
    "month": re.compile(r"\d{4,}-(0[1-9]|1[0-2])"),
    "week": re.compile(r"\d{4,}-W(0[1-9]|[1-4]\d|5[0-3])"),
    "time": re.compile(_TIME),
    "datetime-local": re.compile(r"\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[T ]" + _TIME),
    "number": re.compile(_NUMBER),
    "range": re.compile(_NUMBER),
}


def sanitized(kind: str, value: str) -> str:
    """The value a browser keeps for an input of this type: "" when it cannot read it."""
    pattern = SANITIZED.get(kind)
    if pattern is None:
        return value.replace("\r", "").replace("\n", "") if kind != "textarea" else value
    return value if pattern.fullmatch(value) else ""


@dataclass
class Form:
    action: str = ""
    values: list[tuple[str, str]] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)  # control name → input type (or select/textarea)

    def as_post(self) -> dict[str, str | list[str]]:
        """The pairs as a dict for the test client: repeated names become lists."""
        data: dict[str, list[str]] = {}
        for name, value in self.values:
            data.setdefault(name, []).append(value)
        return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.loose = Form()  # controls outside any <form> (a bare form.as_div())
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: dict | None = None

    @property
    def target(self) -> Form:
        return self.current if self.current is not None else self.loose

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = Form(action=a.get("action") or "")
            self.forms.append(self.current)
        elif tag == "input":
            self._input(a)
        elif tag == "select" and a.get("name") and "disabled" not in a:
            self.select = {"name": a["name"], "multiple": "multiple" in a, "options": [], "selected": []}
        elif tag == "option" and self.select is not None:
            self.option = {
                "value": a.get("value"),
                "text": "",
                "selected": "selected" in a,
                "disabled": "disabled" in a,
            }
        elif tag == "textarea" and a.get("name") and "disabled" not in a:
            self.textarea = {"name": a["name"], "text": ""}

    def _input(self, a: dict) -> None:
        kind = (a.get("type") or "text").lower()
        name = a.get("name")
        if not name or "disabled" in a or kind in SKIPPED_TYPES:
            return
        self.target.types[name] = kind
        if kind in ("checkbox", "radio"):
            if "checked" in a:
                self.target.values.append((name, a.get("value", "on")))
        else:
            self.target.values.append((name, sanitized(kind, a.get("value") or "")))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["text"] += data
        elif self.option is not None:
            self.option["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "option" and self.option is not None:
            self._option_end()
        elif tag == "select" and self.select is not None:
            if self.option is not None:
                self._option_end()
            self._select_end()
        elif tag == "textarea" and self.textarea is not None:
            text = self.textarea["text"]
            text = text[1:] if text.startswith("\n") else text
            self.target.types[self.textarea["name"]] = "textarea"
            self.target.values.append((self.textarea["name"], text))
            self.textarea = None

    def _option_end(self) -> None:
        option, self.option = self.option, None
        assert option is not None and self.select is not None  # an option ends inside its select
        value = option["value"] if option["value"] is not None else option["text"].strip()
        if not option["disabled"]:
            self.select["options"].append(value)
            if option["selected"]:
                self.select["selected"].append(value)

    def _select_end(self) -> None:
        select, self.select = self.select, None
        assert select is not None  # a select ends once
        chosen = select["selected"]
        if not select["multiple"]:
            chosen = chosen[-1:] or select["options"][:1]
        self.target.types[select["name"]] = "select"
        self.target.values.extend((select["name"], value) for value in chosen)


def forms_in(html: str) -> list[Form]:
    """Every <form> of the page, then the controls outside forms (a bare `form.render()`) as one more form."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    loose = parser.loose.values or parser.loose.types or not parser.forms
    return [*parser.forms, *([parser.loose] if loose else [])]


def form_posting_to(html: str, action: str) -> Form:
    """The one form of the page that posts to `action`."""
    matches = [f for f in forms_in(html) if f.action == action]
    assert len(matches) == 1, f"{len(matches)} forms post to {action}"
    return matches[0]
