"""The django-oscar peer: whether its kit is there, building it, its env and its matching pages."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from shopbench.common import fetch, say
from shopbench.config import PAGES
from shopbench.load import links_of
from shopbench.serve import Fleet, Server

# Oscar's product pages, as its listings link them ("/catalogue/red-lamp-0001_1/")
PRODUCT_LINK = re.compile(r"^/catalogue/[^/]+_\d+/$")


def resolve_oscar_paths(port: int) -> dict[str, str]:
    """The peer's README names its URLs; if the build named them differently, take them from /catalogue/."""
    paths = {p.name: p.oscar for p in PAGES}
    try:
        listing = fetch(port, "/catalogue/")
    except OSError:
        return paths
    hrefs = [urlsplit(urljoin("http://127.0.0.1/catalogue/", h)).path for h in links_of(listing.body)]
    found = {
        "category": next((h for h in hrefs if re.fullmatch(r"/catalogue/category/[^/]+/", h)), None),
        "product": next((h for h in hrefs if re.fullmatch(r"/catalogue/[^/]+_\d+/", h)), None),
    }
    for name, alt in found.items():
        try:
            status = fetch(port, paths[name]).status
        except OSError:
            continue
        if status == 404 and alt:
            say(f"  note: Oscar {paths[name]} is 404; using {alt} (first one linked from /catalogue/)")
            paths[name] = alt
    return paths


def peer_available(kit: Path) -> bool:
    return (kit / "setup.sh").is_file() and (kit / "shop").is_dir()


def build_peer(kit: Path, root: Path) -> None:
    if (root / ".built").exists():
        say(f"  Oscar peer already built in {root}")
        return
    say(f"  building the Oscar peer in {root} (first time: several minutes) ...")
    t0 = time.monotonic()
    root.parent.mkdir(parents=True, exist_ok=True)
    log = root.parent / f"{root.name}-setup.log"
    with open(log, "wb") as fh:
        proc = subprocess.run(
            ["bash", str(kit / "setup.sh"), str(root)],
            stdout=fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    if proc.returncode != 0 or not (root / ".built").exists():
        raise RuntimeError(f"peer setup failed ({proc.returncode}); see {log}")
    say(f"  built in {time.monotonic() - t0:.0f} s")


def oscar_env() -> dict[str, str]:
    drop = {
        "DJANGO_SETTINGS_MODULE",
        "PYTHONPATH",
        "DATABASE_URL",
        "MEDIA_ROOT",
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "VIRTUAL_ENV",
    }
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("BENCH_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def oscar_server(root: Path, port: int, log_path: Path, fleet: Fleet | None = None) -> Server:
    """The built peer served as ours is: gunicorn with 2 workers on 127.0.0.1:`port` (not started)."""
    return Server(
        "oscar",
        [
            str(root / "venv" / "bin" / "gunicorn"),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "shop.wsgi:application",
        ],
        root / "shop",
        oscar_env(),
        port,
        "/catalogue/",
        log_path,
        fleet,
    )
