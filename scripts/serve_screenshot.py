"""Take the README's picture of the local page: a RAG practice round started from the stage-4
board, checked and drawn, with the round's clock, phase and nudges above.

    python scripts/serve_screenshot.py [OUTPUT.png]        # default: docs/serve.png

The round goes to a throwaway history (WHITEBOARD_DATA_DIR in a temporary folder).

Needs the 'dev' extra (selenium, starlette, uvicorn), Graphviz, and Debian's chromium with
chromium-driver. Starts `python -m whiteboard.serve --port 0` itself and stops it after.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "serve"))

from serve_helpers import Server, request, wait_until  # noqa: E402

WIDTH, HEIGHT = 1400, 880


def main() -> int:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    output = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "serve.png"
    history = tempfile.mkdtemp(prefix="whiteboard-screenshot-")
    server = Server(ROOT / "examples", env={"WHITEBOARD_DATA_DIR": history})
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     f"--window-size={WIDTH},{HEIGHT}", "--lang=en-US"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(server.url)
        driver.execute_script("localStorage.clear()")
        driver.get(server.url)
        wait_until(lambda: driver.execute_script("return document.documentElement.dataset.ready === 'true'"), 30)
        driver.find_element(By.CSS_SELECTOR, "#problem option[value='rag']").click()
        started = request(server, "POST", "/api/round/start", b'{"problem": "rag", "from_stage": 4}',
                          {"Content-Type": "application/json"}).json()
        text = started["text"]
        driver.execute_script("const editor = document.getElementById('editor'); editor.value = arguments[0];"
                              "editor.dispatchEvent(new Event('input')); editor.scrollTop = 0;", text)
        request(server, "POST", "/api/round/save", text)
        document = request(server, "POST", "/api/check?problem=rag", text).json()
        expected = [finding["code"] for finding in document["files"][0]["diagrams"][0]["findings"]]
        wait_until(lambda: driver.execute_script(
            "return [[...document.querySelectorAll('#findings li .code')].map((e) => e.textContent),"
            " document.getElementById('findings').getAttribute('aria-busy'),"
            " document.getElementById('picture').getAttribute('aria-busy'),"
            " document.getElementById('picture-note').hidden,"
            " !document.getElementById('round').hidden];") == [expected, "false", "false", True, True], 30)
        driver.execute_script("document.activeElement.blur()")  # no focus ring in the picture
        output.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(output))
    finally:
        driver.quit()
        server.stop()
    print(f"wrote {output} ({output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
