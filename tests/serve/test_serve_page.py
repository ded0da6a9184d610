"""The page in a real headless browser (Debian's chromium with chromium-driver, via selenium).

Few tests, each waiting explicitly for what the page shows: typing changes the findings,
a finding selects its line, markup in the diagram stays text. Skipped, with the reason,
where the browser or its driver is missing or cannot start.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from serve_helpers import ROOT, request, wait_until

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (the 'dev' extra)")
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

CHROMIUM = os.environ.get("WHITEBOARD_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("WHITEBOARD_CHROMEDRIVER", shutil.which("chromedriver") or "/usr/bin/chromedriver")
WAIT_S = 20


def start_browser(width: int = 1400, height: int = 900):
    """A headless chromium, or pytest.skip saying why there is none."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not Path(path).exists():
            pytest.skip(f"{path} is missing (apt-get install {package})")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--lang=en-US"):
        options.add_argument(argument)
    try:
        return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except WebDriverException as error:
        pytest.skip(f"chromium did not start under chromedriver: {str(error).strip().splitlines()[0]}")


@pytest.fixture(scope="module")
def browser():
    driver = start_browser()
    yield driver
    driver.quit()


@pytest.fixture
def page(browser, server):
    """The page, loaded fresh with no draft, once its first check and picture have arrived."""
    browser.get(server.url)
    browser.execute_script("localStorage.clear()")
    browser.get(server.url)
    wait_until(lambda: browser.execute_script("return document.documentElement.dataset.ready === 'true'"), WAIT_S)
    return browser


def shown(driver, selector: str) -> list[str]:
    """The text of every element *selector* matches, read in one go (the list is redrawn as it changes)."""
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map((element) => element.textContent);", selector)


def codes_shown(driver) -> list[str]:
    return shown(driver, "#findings li .code")


def codes_expected(server, text: str) -> list[str]:
    """What /api/check says for *text*, in the order the page lists it."""
    document = request(server, "POST", "/api/check", text).json()
    return [finding["code"] for finding in document["files"][0]["diagrams"][0]["findings"]]


def set_text(driver, text: str) -> None:
    """Put *text* in the editor as a paste would (one input event)."""
    driver.execute_script("const editor = document.getElementById('editor'); editor.value = arguments[0];"
                          "editor.dispatchEvent(new Event('input'));", text)


TYPED = ('flowchart LR\n'
         '  Events[(Click logs)] --> Train[Model training]\n'
         '  Train --> Serve[Model serving]\n'
         '  Client([App]) -->|"~10ms"| Serve\n'
         '  Serve -.-> Mon[Monitoring: drift PSI, alerts]')


def test_typing_a_diagram_changes_the_findings(page, server):
    editor = page.find_element(By.ID, "editor")
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.BACKSPACE)
    editor.send_keys(TYPED)
    expected = codes_expected(server, TYPED)
    assert "WB701" not in expected
    wait_until(lambda: codes_shown(page) == expected, WAIT_S)
    assert page.find_element(By.ID, "editor").get_property("value") == TYPED
    wait_until(lambda: page.execute_script(
        "const img = document.getElementById('svg');"
        "return !img.hidden && img.src.startsWith('blob:') && img.complete && img.naturalWidth > 0;"), WAIT_S)

    # Remove the monitoring box with the keyboard: select its line, then Backspace.
    start = TYPED.rindex("\n")
    page.execute_script("document.getElementById('editor').setSelectionRange(arguments[0], arguments[1])",
                        start, len(TYPED))
    editor.send_keys(Keys.BACKSPACE)
    without = TYPED[:start]
    expected = codes_expected(server, without)
    assert "WB701" in expected
    wait_until(lambda: codes_shown(page) == expected, WAIT_S)
    summary = page.find_element(By.ID, "summary").text
    assert "1 error" in summary or "errors" in summary


def test_a_finding_selects_its_line(page, server):
    text = (ROOT / "examples" / "bad" / "ends_at_serving.mmd").read_text()
    set_text(page, text)
    wait_until(lambda: "WB704" in codes_shown(page), WAIT_S)
    button = next(item for item in page.find_elements(By.CSS_SELECTOR, "#findings li button")
                  if item.find_element(By.CSS_SELECTOR, ".code").text == "WB704")
    line = int(button.find_element(By.CSS_SELECTOR, ".where").text.split(":")[0])
    button.click()
    start, end, active = page.execute_script(
        "const editor = document.getElementById('editor');"
        "return [editor.selectionStart, editor.selectionEnd, document.activeElement === editor];")
    assert active
    assert text[start:end] == text.split("\n")[line - 1]
    assert text[:start].count("\n") == line - 1


def test_markup_in_the_diagram_stays_text(page, server):
    text = ('flowchart LR\n'
            '  %% wb: disable=<img src=x onerror=document.title=1>\n'
            '  A["<img src=x onerror=document.title=2>"] --> B["<b>bold</b> & <script>document.title=3</script>"]\n')
    set_text(page, text)
    wait_until(lambda: "WB004" in codes_shown(page), WAIT_S)
    messages = shown(page, "#findings li .message")
    assert any("<img src=x onerror=document.title=1>" in message for message in messages)
    wait_until(lambda: page.execute_script("return document.getElementById('picture-note').hidden"), WAIT_S)
    assert page.title == "whiteboard"
    images = page.find_elements(By.TAG_NAME, "img")
    assert [image.get_attribute("id") for image in images] == ["svg"]
    assert page.find_elements(By.CSS_SELECTOR, "#findings b, #findings script, #summary img") == []


def test_a_syntax_error_keeps_the_last_picture_and_says_where(page, server):
    set_text(page, "flowchart LR\n  A[Serving] --> B[(Logs)]\n")
    wait_until(lambda: page.execute_script("return document.getElementById('picture-note').hidden"), WAIT_S)
    set_text(page, "flowchart LR\n  A[Serving --> B\n")
    wait_until(lambda: codes_shown(page) == ["WB001"], WAIT_S)
    note = page.find_element(By.ID, "picture-note")
    wait_until(lambda: note.is_displayed() and "line 2" in note.text, WAIT_S)
    assert "last picture" in note.text
    assert not page.find_element(By.ID, "svg").get_property("hidden")


def test_a_round_on_the_page_from_start_to_scorecard(page, server):
    assert not page.find_element(By.ID, "round").is_displayed()
    start = page.find_element(By.ID, "start")
    assert not start.is_enabled()  # a round needs a problem
    page.find_element(By.CSS_SELECTOR, "#problem option[value='rag']").click()
    wait_until(lambda: start.is_enabled(), WAIT_S)
    start.click()
    wait_until(lambda: page.find_element(By.ID, "round").is_displayed(), WAIT_S)
    wait_until(lambda: "Requirements" in page.find_element(By.ID, "phase").text, WAIT_S)
    assert page.find_element(By.ID, "draw").text.startswith("Draw now: Requirements box")
    assert page.find_element(By.ID, "editor").get_property("value").startswith("%% problem: rag")
    editor = page.find_element(By.ID, "editor")
    set_text(page, 'flowchart LR\n    Req["Requirements<br/>100 QPS, total < 3s"]\n')
    editor.send_keys(Keys.CONTROL, "s")
    wait_until(lambda: "Saved at" in page.find_element(By.ID, "status").text, WAIT_S)
    assert request(server, "GET", "/api/round").json()["saves"] == 1
    page.find_element(By.ID, "finish").click()
    wait_until(lambda: page.find_element(By.ID, "scorecard-pane").is_displayed(), WAIT_S)
    card = page.find_element(By.ID, "scorecard").text
    assert card.startswith("# Practice round: RAG pipeline") and "| 1 | Requirements" in card
    wait_until(lambda: not page.find_element(By.ID, "round").is_displayed(), WAIT_S)
    assert request(server, "GET", "/api/round").json() == {"running": False}
