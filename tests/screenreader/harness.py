"""A real screen reader for the tests: Xvfb, a D-Bus session with AT-SPI switched on, speech-dispatcher whose
"synthesizer" writes text to a file, Orca 43 and Debian's Chromium on that display, driven with xdotool keys as
a user would. What Orca says is read back from its debug log (`SPEECH OUTPUT: '...'` lines, exact text).

`ScreenReader` owns every process it starts and ends each by its PID. The recipe is in
/work/shared/docs/testing.md ("A real screen reader").
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

TOOLS = {
    "Xvfb": "xvfb",
    "dbus-launch": "dbus-x11",
    "orca": "orca",
    "speech-dispatcher": "speech-dispatcher",
    "xdotool": "xdotool",
    "chromium": "chromium",
}
AT_SPI_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
# one utterance a line, with or without Orca's trailing "{'established': ...}"
SPEECH_LINE = re.compile(r"SPEECH OUTPUT: '(.*)'(?: ?\{'established'[^\n]*)?$", re.M)
ORCA_SETTINGS = Path(__file__).parent / "orca-settings.json"  # Orca 43's defaults, key echo off
# makes Orca's debug log line-buffered, so each utterance can be read as soon as it is spoken
ORCA_SITE = Path(__file__).parent / "orca_site"
KEY_PAUSE = 0.45  # seconds after a key: Orca speaks in its own time


def missing_tools() -> list[str]:
    """Debian packages missing for the harness (empty when it can run)."""
    missing = [package for tool, package in TOOLS.items() if shutil.which(tool) is None]
    if not os.path.exists(AT_SPI_LAUNCHER):
        missing.append("at-spi2-core")
    probe = subprocess.run(["/usr/bin/python3", "-c", "import pyatspi"], capture_output=True)
    if probe.returncode != 0:
        missing.append("python3-pyatspi")
    return missing


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _free_display() -> int:
    for number in range(140, 200):
        if not os.path.exists(f"/tmp/.X11-unix/X{number}") and not os.path.exists(f"/tmp/.X{number}-lock"):
            return number
    raise RuntimeError("no free X display between :140 and :199")


@dataclass
class ScreenReader:
    workdir: Path
    procs: list[subprocess.Popen] = field(default_factory=list)
    env: dict = field(default_factory=dict)
    cdp_port: int = 0
    _read: int = 0  # how much of the debug log was consumed

    # --- start and stop ----------------------------------------------------------------------------------

    def start(self) -> None:
        w = self.workdir
        for sub in ("home", "runtime", "config", "chromium", "orca"):
            (w / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(w / "runtime", 0o700)
        display = _free_display()
        self.env = {
            **os.environ,
            "HOME": str(w / "home"),
            "XDG_RUNTIME_DIR": str(w / "runtime"),
            "XDG_CONFIG_HOME": str(w / "config"),
            "DISPLAY": f":{display}",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "GTK_MODULES": "gail:atk-bridge",
            "NO_AT_BRIDGE": "0",
            "ACCESSIBILITY_ENABLED": "1",
        }
        self.env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        self._spawn(["Xvfb", f":{display}", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], "xvfb")
        self._wait(lambda: os.path.exists(f"/tmp/.X11-unix/X{display}"), "Xvfb")
        out = subprocess.run(
            ["dbus-launch", "--sh-syntax"], env=self.env, capture_output=True, text=True, check=True
        ).stdout
        bus = re.search(r"DBUS_SESSION_BUS_ADDRESS='([^']+)'", out).group(1)
        bus_pid = int(re.search(r"DBUS_SESSION_BUS_PID=(\d+)", out).group(1))
        self.env["DBUS_SESSION_BUS_ADDRESS"] = bus
        self._dbus_pid = bus_pid
        self._spawn([AT_SPI_LAUNCHER, "--launch-immediately"], "at-spi")
        time.sleep(0.5)
        for prop in ("IsEnabled", "ScreenReaderEnabled"):
            subprocess.run(
                [
                    "dbus-send",
                    "--session",
                    "--print-reply",
                    "--dest=org.a11y.Bus",
                    "/org/a11y/bus",
                    "org.freedesktop.DBus.Properties.Set",
                    "string:org.a11y.Status",
                    f"string:{prop}",
                    "variant:boolean:true",
                ],
                env=self.env,
                capture_output=True,
                check=True,
            )
        self._speech_dispatcher()
        shutil.copy(ORCA_SETTINGS, w / "orca" / "user-settings.conf")
        debug_file = str((w / "orca-debug.out").resolve())
        self._spawn(
            ["orca", "-u", str(w / "orca"), f"--debug-file={debug_file}"],
            "orca",
            env={"PYTHONPATH": str(ORCA_SITE), "ORCA_DEBUG_FILE": debug_file},
        )
        self._wait(lambda: "SPEECH OUTPUT" in self._log(), "Orca's first words", timeout=30)
        self.cdp_port = _free_port()
        self._spawn(
            [
                "chromium",
                "--no-sandbox",
                "--force-renderer-accessibility",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-sync",
                "--disable-quic",
                "--disable-background-networking",
                "--disable-component-update",
                "--lang=en-US",
                "--disable-features=Translate,MediaRouter,DialMediaRouteProvider,OptimizationHints",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
                f"--user-data-dir={w / 'chromium'}",
                "--window-position=0,0",
                "--window-size=1280,1024",
                "--remote-debugging-address=127.0.0.1",
                f"--remote-debugging-port={self.cdp_port}",
                "--start-maximized",
                "about:blank",
            ],
            "chromium",
        )
        self._wait(self._chromium_ready, "Chromium's debugging port", timeout=30)
        time.sleep(2.0)

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.time() + 5
        for proc in reversed(self.procs):
            try:
                proc.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        if getattr(self, "_dbus_pid", None):
            try:
                os.kill(self._dbus_pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        # speech-dispatcher daemonises (-t 0 would keep it): end it by the PID file it wrote
        pid_file = self.workdir / "runtime" / "speech-dispatcher" / "pid" / "speech-dispatcher.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
            except (ValueError, ProcessLookupError):
                pass

    def _spawn(self, argv: list[str], name: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "ab")
        proc = subprocess.Popen(
            argv,
            env={**self.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def _wait(self, ready, what: str, timeout: float = 15) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{what} did not start within {timeout} s (logs in {self.workdir})")

    def _chromium_ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.cdp_port), timeout=0.5):
                return True
        except OSError:
            return False

    def _speech_dispatcher(self) -> None:
        """speech-dispatcher with the generic module as a text "synthesizer" (it appends to spoken.log)."""
        conf = self.workdir / "config" / "speech-dispatcher"
        (conf / "modules").mkdir(parents=True, exist_ok=True)
        spoken = self.workdir / "spoken.log"
        (conf / "modules" / "text.conf").write_text(
            f"GenericExecuteSynth \"printf '%s\\\\n' '$DATA' >> {spoken}\"\n"
            'GenericCmdDependency "printf"\nAddVoice "en" "MALE1" "en"\n'
        )
        (conf / "speechd.conf").write_text(
            'AddModule "text" "sd_generic" "text.conf"\nDefaultModule text\nAudioOutputMethod "pulse"\n'
            "Timeout 0\n"
        )
        self._spawn(["speech-dispatcher", "-d", "-t", "0"], "speech-dispatcher")
        time.sleep(1.0)

    # --- Orca's speech -------------------------------------------------------------------------------------

    def _log(self) -> str:
        path = self.workdir / "orca-debug.out"
        return path.read_text(errors="replace") if path.exists() else ""

    def spoken(self) -> list[str]:
        """Utterances since the last call (and marks them read)."""
        log = self._log()
        new, self._read = log[self._read :], len(log)
        return [m.group(1) for m in SPEECH_LINE.finditer(new) if m.group(1).strip()]

    def settle(self, quiet: float = 0.8, timeout: float = 8.0) -> None:
        """Wait until Orca has said nothing new for `quiet` seconds."""
        deadline = time.time() + timeout
        size = len(self._log())
        last_change = time.time()
        while time.time() < deadline:
            time.sleep(0.2)
            now = len(self._log())
            if now != size:
                size, last_change = now, time.time()
            elif time.time() - last_change >= quiet:
                return

    # --- keys ----------------------------------------------------------------------------------------------

    def key(self, *keys: str, pause: float = KEY_PAUSE) -> None:
        for k in keys:
            subprocess.run(["xdotool", "key", "--clearmodifiers", k], env=self.env, check=True)
            time.sleep(pause)

    def type(self, text: str) -> None:
        subprocess.run(["xdotool", "type", "--delay", "20", text], env=self.env, check=True)
        time.sleep(KEY_PAUSE)

    def open(self, url: str) -> list[str]:
        """Type the URL in the address bar, as a user would, and return what Orca said while it loaded."""
        self.spoken()
        self.key("ctrl+l", pause=1.0)
        self.type(url)
        self.key("Return", pause=0.3)
        self.settle(quiet=1.5, timeout=15)
        return self.spoken()

    def press(self, key: str, *, timeout: float = 4.0, quiet: float = 0.35) -> list[str]:
        """Press a key and return what Orca says in answer: waits for the first words (up to `timeout`), then
        until it has been quiet for `quiet` seconds."""
        self.spoken()
        subprocess.run(["xdotool", "key", "--clearmodifiers", key], env=self.env, check=True)
        deadline = time.time() + timeout
        size = len(self._log())
        while time.time() < deadline and len(self._log()) == size:
            time.sleep(0.05)
        self.settle(quiet=quiet, timeout=timeout)
        return self.spoken()

    def press_until(self, key: str, words: str, *, timeout: float = 20.0) -> list[str]:
        """Press a key and collect speech until `words` have been said (or `timeout`), then until quiet."""
        self.spoken()
        subprocess.run(["xdotool", "key", "--clearmodifiers", key], env=self.env, check=True)
        deadline = time.time() + timeout
        said: list[str] = []
        while time.time() < deadline:
            time.sleep(0.2)
            said += self.spoken()
            if any(words in line for line in said):
                break
        self.settle(quiet=0.8, timeout=5)
        return said + self.spoken()

    def read_down(self, lines: int, *, stop_at: str | None = None) -> list[str]:
        """Arrow down through the page from where the caret is, up to `lines` times (or until `stop_at`)."""
        said: list[str] = []
        for _ in range(lines):
            now = self.press("Down", timeout=2.5)
            said.extend(now)
            if stop_at and any(stop_at in s for s in now):
                break
        return said
