"""Steps the browser tests share: sign in through the real form, pick a role."""

from __future__ import annotations

from ejournal.access.roles import Role


def sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()


def choose_role(page, role: str) -> None:
    """Switch to `role` with the header's role switcher if the user holds several roles."""
    switcher = page.locator("#role-switch")
    if switcher.count() == 0:
        return
    label = str(Role(role).label)
    for option in switcher.locator("option").all():
        text = option.inner_text().strip()
        if text == label or text.startswith(f"{label} —"):
            switcher.select_option(value=option.get_attribute("value"))
            page.get_by_role("button", name="Сменить").click()
            page.wait_for_load_state()
            return
    raise AssertionError(f"Role {label!r} is not offered by the switcher")


def heading(page) -> str:
    return page.locator("main h1").first.inner_text().strip()


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def sign_out(page) -> None:
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_load_state()


def open_menu(page, label: str) -> None:
    """Follow an item of the main menu, as a user clicks it (on a phone, unfolding the menu first)."""
    summary = page.locator("nav.main summary")
    if summary.is_visible() and page.locator("#main-menu[open]").count() == 0:
        summary.click()
    page.locator("nav.main").get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()


def press(page, name: str) -> None:
    """Click the button named `name` and wait for the page it leads to."""
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def upload(page, label: str, file_name: str, content: bytes) -> None:
    """Put a file made in the test into the file input labelled `label`."""
    page.get_by_label(label).set_input_files(
        {"name": file_name, "mimeType": "application/octet-stream", "buffer": content}
    )
