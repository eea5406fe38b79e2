"""The wallboard page in a real browser: headless Chromium, through Selenium, watches a number
change after a command.

The daemon under test, ``SWITCHBOARD_CLI=path/to/switchboard`` (or ``python3
wallboard_browser_test.py PATH``), runs as ``switchboard serve --journal DIR --http 127.0.0.1:0``,
driven by JSON request lines on its standard input; it prints ``wallboard: http://HOST:PORT/`` on
standard error once serving.

Skipped only when Selenium, Chromium or chromedriver is not installed (Debian: python3-selenium,
chromium, chromium-driver).
"""

import json
import os
import queue
import re
import subprocess
import sys
import threading

import pytest

try:
    from selenium import webdriver
    from selenium.common.exceptions import (NoSuchElementException,
                                            StaleElementReferenceException,
                                            TimeoutException)
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    SELENIUM_ERROR = None
except ImportError as error:  # pragma: no cover - depends on the machine
    SELENIUM_ERROR = error

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
AT = 1700000000  # engine time of the requests (Unix seconds); never goes backwards
WAIT_S = 10


def server_command(tmp_path):
    """The command that starts the server under test, or fails the test saying how to name one."""
    cli = os.environ.get("SWITCHBOARD_CLI")
    if cli:
        return [cli, "serve", "--journal", str(tmp_path / "journal"), "--http", "127.0.0.1:0"]
    pytest.fail("no server to test: set SWITCHBOARD_CLI to the switchboard binary")


class Server:
    """The server process; its output is collected by threads so that its pipes never fill."""

    def __init__(self, command):
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, bufsize=1)
        self.stderr_lines = queue.Queue()
        self.output = []  # every line of stdout and stderr, for failure messages
        self.next_id = 1
        for stream, name in ((self.process.stdout, "stdout"), (self.process.stderr, "stderr")):
            threading.Thread(target=self._read, args=(stream, name), daemon=True).start()

    def _read(self, stream, name):
        for line in stream:
            self.output.append(f"{name}: {line.rstrip()}")
            if name == "stderr":
                self.stderr_lines.put(line.rstrip("\n"))

    def url(self):
        """The wallboard's URL, from the line the server prints once serving."""
        while True:
            try:
                line = self.stderr_lines.get(timeout=WAIT_S)
            except queue.Empty:
                pytest.fail(f"no 'wallboard: URL' line on stderr within {WAIT_S} s; "
                            f"output so far: {self.log()}")
            match = re.fullmatch(r"wallboard: (http://\S+)", line.strip())
            if match:
                return match.group(1)

    def send(self, op, args, at=AT):
        request = {"id": self.next_id, "op": op, "at": at, "args": args}
        self.next_id += 1
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()

    def log(self):
        return "\n".join(self.output) or "(none)"

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=WAIT_S)


def chromium():
    if SELENIUM_ERROR is not None:
        pytest.skip(f"Selenium is not importable ({SELENIUM_ERROR}); install python3-selenium")
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            pytest.skip(f"{path} is not installed; install the Debian package {package}")
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1400,900"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def text_of(driver, element_id):
    """The element's text now, or None while it is not on the page (the page may be reloading)."""
    try:
        return driver.find_element(By.ID, element_id).text
    except (NoSuchElementException, StaleElementReferenceException):
        return None


def wait_for_text(driver, server, element_id, expected):
    try:
        WebDriverWait(driver, WAIT_S, poll_frequency=0.1).until(
            lambda d: text_of(d, element_id) == expected)
    except TimeoutException:
        pytest.fail(f"#{element_id} shows {text_of(driver, element_id)!r}, not {expected!r}, "
                    f"after {WAIT_S} s; server output:\n{server.log()}")


def test_page_shows_a_new_waiting_contact(tmp_path):
    driver = chromium()
    server = Server(server_command(tmp_path))
    try:
        url = server.url()
        server.send("add_queue", {"id": "support"})
        server.send("add_agent", {"id": "a1", "team": "blue"})

        driver.get(url)
        assert driver.title == "Switchboard wallboard"
        # The queue may have come after the first render: the page reloads to show its row.
        wait_for_text(driver, server, "q-support-waiting", "0")
        wait_for_text(driver, server, "team-blue-logged-out", "1")
        before = text_of(driver, "q-support-waiting")
        assert before == "0"

        server.send("add_contact", {"id": "c1", "queue": "support"}, at=AT + 1)
        wait_for_text(driver, server, "q-support-waiting", "1")
        wait_for_text(driver, server, "total-waiting", "1")
        assert text_of(driver, "now") == "2023-11-14T22:13:21+00:00"
        assert text_of(driver, "updated") != "at page load"
    finally:
        driver.quit()
        server.stop()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        os.environ["SWITCHBOARD_CLI"] = sys.argv[1]
    sys.exit(pytest.main([__file__, "-q"]))
