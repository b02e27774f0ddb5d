"""The built site, as a reader uses it: headless Chromium (Debian's package) opens the site served on
localhost, searches for "Điều 66" and finds the pension-rate rule.

The site is the one in ``$VSS_DOCS_SITE`` (CI builds it with ``mkdocs build --strict`` first), else this
test builds it. In CI (``CI`` set) a missing Chromium, chromedriver, mkdocs or selenium fails the test;
elsewhere it skips.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
IN_CI = bool(os.environ.get("CI"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
PENSION_RATE_RULES = ("pension_full_rate", "pension_rate", "pension_rate_uncapped")


def _missing(what: str) -> None:
    message = f"{what} is missing: .ci/run installs it (apt-get install chromium chromium-driver; pip install -e '.[docs]')"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    given = os.environ.get("VSS_DOCS_SITE")
    if given:
        path = Path(given)
        assert (path / "index.html").is_file(), f"VSS_DOCS_SITE={given} holds no built site"
        return path
    try:
        import mkdocs  # noqa: F401
    except ImportError:
        _missing("mkdocs")
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
                            cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def base_url(site_dir):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM:
        _missing("chromium")
    if not CHROMEDRIVER:
        _missing("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium")
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager look for a driver online
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--window-size=1280,1000", f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _search(driver, base_url: str, path: str, query: str) -> list[tuple[str, str]]:
    """Type ``query`` into the site's search box; the (text, link) of each result."""
    from selenium.webdriver.common.by import By

    driver.get(base_url + path)
    box = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
    if not box.is_displayed():  # a narrow window shows only the search icon
        driver.find_element(By.CSS_SELECTOR, "label[for='__search']").click()
    box.click()
    box.send_keys(query)
    deadline = time.time() + 30
    results: list[tuple[str, str]] = []
    while time.time() < deadline:
        links = driver.find_elements(By.CSS_SELECTOR, ".md-search-result__list a")
        results = [(a.text, a.get_attribute("href") or "") for a in links]
        if results:
            break
        time.sleep(0.25)
    return results


@pytest.mark.parametrize("path", ["/", "/en/"])
def test_search_for_dieu_66_finds_the_pension_rate_rule(browser, base_url, path):
    results = _search(browser, base_url, path, "Điều 66")
    assert results, f"no search result for 'Điều 66' on {path}"
    hrefs = [href for _, href in results]
    assert any(href.endswith(f"#{rid}") for href in hrefs for rid in PENSION_RATE_RULES), \
        f"the pension-rate rule is not among the results: {hrefs[:15]}"


def test_a_rule_page_shows_its_formula_and_citation(browser, base_url):
    from selenium.webdriver.common.by import By

    # the old-age page under Law 41/2024 holds the pension-rate rule (Art. 66); the law index links it
    browser.get(base_url + "/law/")
    assert browser.find_elements(By.CSS_SELECTOR, "a[href$='old_age/41-2024-qh15/']"), "the law index does not link the page"
    browser.get(base_url + "/law/old_age/41-2024-qh15/")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Công thức" in body and "Điều 66" in body and "Căn cứ" in body
