"""Display of a session's device: a short Russian label from the browser's User-Agent."""

from django import template

register = template.Library()

# Order matters: Edge and Yandex also say «Chrome», Chrome also says «Safari».
_BROWSERS = [
    ("YaBrowser", "Яндекс Браузер"),
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
]


@register.filter
def device_label(user_agent: str) -> str:
    """«Chrome, Windows» (product names: the template marks them lang="en"); "" when nothing is recognised."""
    ua = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in ua), "")
    system = next((name for marker, name in _SYSTEMS if marker in ua), "")
    return ", ".join(p for p in (browser, system) if p)
