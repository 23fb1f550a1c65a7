"""Serving a shop: a gunicorn in its own session (Server) and the Fleet that stops every live one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from shopbench.common import fetch

# ------------------------------------------------------------------------------------------------ servers


class Fleet:
    """The servers started in one run and not yet stopped, so an interrupted run can stop every one of them."""

    def __init__(self) -> None:
        self.live: list[Server] = []

    def stop_all(self) -> None:
        for server in list(self.live):
            try:
                server.stop()
            except Exception as exc:  # keep stopping the others
                print(f"warning: could not stop {server.name}: {exc}", file=sys.stderr)


class Server:
    """A gunicorn started in its own session, so stop() can end it and its workers by process group id."""

    def __init__(
        self,
        name: str,
        cmd: list[str],
        cwd: Path,
        env: dict[str, str],
        port: int,
        health_path: str,
        log_path: Path,
        fleet: Fleet | None = None,
    ) -> None:
        self.name, self.cmd, self.cwd, self.env = name, cmd, cwd, env
        self.port, self.health_path, self.log_path = port, health_path, log_path
        self.proc: subprocess.Popen | None = None
        self.fleet = fleet

    def start(self, timeout: float = 90.0) -> None:
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=self.cwd,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        if self.fleet is not None:
            self.fleet.live.append(self)
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name}: gunicorn exited with {self.proc.returncode}.\n{self.log_tail()}"
                )
            try:
                r = fetch(self.port, self.health_path, timeout=5)
                if r.status == 200:
                    return
                last = f"HTTP {r.status}"
            except OSError as exc:
                last = str(exc)
            time.sleep(0.3)
        raise RuntimeError(
            f"{self.name}: {self.health_path} not healthy after {timeout:.0f} s ({last}).\n{self.log_tail()}"
        )

    def _cpu_ticks(self) -> int:
        """utime+stime of every process in the server's process group (master + workers)."""
        total = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if self.proc is not None and int(fields[2]) == self.proc.pid:  # fields[2] = pgrp
                total += int(fields[11]) + int(fields[12])
        return total

    def wait_idle(self, timeout: float = 180.0) -> float:
        """Waits until the workers stop burning CPU. wrk stops at its deadline but sync workers still serve
        the requests it left queued (slow pages: many seconds' worth); measuring the next page before they
        drain would count that backlog against it. Returns the seconds waited."""
        t0 = time.monotonic()
        quiet = 0
        last = self._cpu_ticks()
        while time.monotonic() - t0 < timeout:
            time.sleep(0.25)
            now = self._cpu_ticks()
            quiet = quiet + 1 if now - last <= 1 else 0
            last = now
            if quiet >= 2:
                break
        return time.monotonic() - t0

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join("    " + line for line in text[-lines:])

    def stop(self) -> None:
        proc = self.proc
        if proc is None:
            return
        self.proc = None
        if self.fleet is not None and self in self.fleet.live:
            self.fleet.live.remove(self)
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # our own process group: gunicorn master + its 2 workers
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=5)
