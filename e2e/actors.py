"""Two ways of using a page: with the mouse (Playwright's usual actions) or with the
keyboard only (Tab to reach each control, then Space, Enter, arrows and typing).
The keyboard actor also checks that the focused control shows a visible focus."""

from playwright.sync_api import Locator, Page

MAX_TABS = 400

FOCUS_VISIBLE = """e => {
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  return outline || shadow;
}"""


class Mouse:
    name = "souris"

    def __init__(self, page: Page):
        self.page = page

    def fill(self, target: Locator, text: str) -> None:
        target.fill(text)

    def check(self, target: Locator) -> None:
        target.check()

    def select(self, target: Locator, label: str) -> None:
        target.select_option(label=label)

    def press(self, target: Locator) -> None:
        target.click()


class Keyboard:
    """Reach every control with Tab only: a control Tab cannot reach fails the test."""

    name = "clavier"

    def __init__(self, page: Page):
        self.page = page
        self.unfocused: list[str] = []

    def _focused(self, target: Locator) -> bool:
        return target.evaluate("e => e === document.activeElement")

    def tab_to(self, target: Locator) -> None:
        target.wait_for(state="attached")
        for _ in range(MAX_TABS):
            if self._focused(target):
                if not target.evaluate(FOCUS_VISIBLE):
                    self.unfocused.append(target.evaluate("e => e.outerHTML")[:120])
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reaches {target}")

    def fill(self, target: Locator, text: str) -> None:
        self.tab_to(target)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.insert_text(text)

    def check(self, target: Locator) -> None:
        if target.evaluate("e => e.type") == "radio":
            name = target.evaluate("e => e.name")
            group = self.page.locator(f"input[type=radio][name='{name}']")
            radios = [group.nth(i) for i in range(group.count())]
            checked = [radio for radio in radios if radio.is_checked()]
            # Tab stops on the checked radio of a group (or on its first one).
            self.tab_to(checked[0] if checked else radios[0])
            for _ in range(group.count() + 1):
                if target.is_checked():
                    return
                self.page.keyboard.press("ArrowDown")
            raise AssertionError(f"arrows never check {target}")
        self.tab_to(target)
        if not target.is_checked():
            self.page.keyboard.press("Space")

    def select(self, target: Locator, label: str) -> None:
        self.tab_to(target)
        wanted = target.evaluate(
            "(e, label) => [...e.options].findIndex(o => o.text.trim() === label)",
            label,
        )
        assert wanted >= 0, f"no option {label!r}"
        current = target.evaluate("e => e.selectedIndex")
        key = "ArrowDown" if wanted > current else "ArrowUp"
        for _ in range(abs(wanted - current)):
            self.page.keyboard.press(key)

    def press(self, target: Locator) -> None:
        self.tab_to(target)
        self.page.keyboard.press("Enter")
