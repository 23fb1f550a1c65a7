"""The entry point: runs seed, serve, load, weight, peer and report in order for one benchmark run."""

from __future__ import annotations

import json
import re
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from shopbench.common import free_port, loud, say
from shopbench.config import REPO, VENV_BIN, parse_args
from shopbench.load import PageResult, measure_shop
from shopbench.peer import PRODUCT_LINK, build_peer, oscar_server, peer_available, resolve_oscar_paths
from shopbench.report import print_report
from shopbench.seed import prepare_ours, resolve_ours_paths
from shopbench.serve import Fleet, Server
from shopbench.shopper import measure as measure_shopper
from shopbench.shopper import print_side_by_side
from shopbench.weight import first_load_safe


def _on_sigterm(signum, frame):  # noqa: ARG001
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    fleet = Fleet()
    signal.signal(signal.SIGTERM, _on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in the background
    for tool in ("wrk",):
        if not shutil.which(tool):
            say(f"error: {tool} not found (apt-get install {tool})")
            return 2
    if not (VENV_BIN / "gunicorn").exists():
        say(f"error: {VENV_BIN / 'gunicorn'} not found; create the venv first")
        return 2

    temp = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="storefront-bench-")) if temp else args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    use_peer = not args.no_peer and peer_available(args.peer_kit)
    if not args.no_peer and not use_peer:
        say(f"note: no peer kit at {args.peer_kit}; measuring ours only (no ratios)")
    ours: dict[str, PageResult] = {}
    oscar: dict[str, PageResult] | None = None
    weights: dict[str, dict | None] = {}
    shopper: dict[str, dict[str, PageResult]] = {}
    probe: dict = {}
    try:
        say(f"[1/4] preparing our shop in {work}")
        env, probe = prepare_ours(work)

        say("[2/4] serving our shop: gunicorn -w 2 storefront.wsgi:application")
        port = free_port()
        server = Server(
            "ours",
            [str(VENV_BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "storefront.wsgi:application"],
            REPO,
            env,
            port,
            "/healthz",
            work / "gunicorn-ours.log",
            fleet,
        )
        server.start()
        try:
            paths = resolve_ours_paths(port, probe)
            ours = measure_shop("ours", server, paths, re.compile(r"^/(?:[\w-]+/)?product/[^/]+/$"), args)
            if not args.no_weight and ours["product"].ok:
                weights["ours"] = first_load_safe(f"http://127.0.0.1:{port}{paths['product']}")
            elif not args.no_weight:
                weights["ours"] = None
            if args.shopper:
                shopper["as configured"] = measure_shopper("shop", server, paths, args)
        finally:
            server.stop()
        if args.shopper_variant:
            name, _sep, value = args.shopper_variant.partition("=")
            say(f"[2b/4] serving our shop again with {name}={value}")
            port = free_port()
            variant = Server(
                "ours-variant",
                [
                    str(VENV_BIN / "gunicorn"),
                    "-w",
                    "2",
                    "-b",
                    f"127.0.0.1:{port}",
                    "storefront.wsgi:application",
                ],
                REPO,
                {**env, name: value},
                port,
                "/healthz",
                work / "gunicorn-ours-variant.log",
                fleet,
            )
            variant.start()
            try:
                shopper[args.shopper_variant] = measure_shopper("var", variant, paths, args)
            finally:
                variant.stop()

        if use_peer:
            say(f"[3/4] Oscar peer ({args.peer_kit} -> {args.peer_root})")
            build_peer(args.peer_kit, args.peer_root)
            port = free_port()
            peer = oscar_server(args.peer_root, port, work / "gunicorn-oscar.log", fleet)
            peer.start(timeout=180)
            try:
                opaths = resolve_oscar_paths(port)
                oscar = measure_shop("oscar", peer, opaths, PRODUCT_LINK, args)
                if not args.no_weight and oscar["product"].ok:
                    weights["oscar"] = first_load_safe(f"http://127.0.0.1:{port}{opaths['product']}")
            finally:
                peer.stop()
        else:
            say("[3/4] Oscar peer skipped")

        say("[4/4] report")
        missed = print_report(args, ours, oscar, weights, probe)
        if shopper:
            missed += print_side_by_side(shopper)
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "settings": {
                            k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()
                        },
                        "catalogue": probe,
                        "ours": {k: v.as_dict() for k, v in ours.items()},
                        "oscar": {k: v.as_dict() for k, v in oscar.items()} if oscar else None,
                        "first_load": weights,
                        "shopper": {
                            label: {k: v.as_dict() for k, v in pages.items()}
                            for label, pages in shopper.items()
                        },
                        "missed": missed,
                    },
                    indent=2,
                )
            )
            say(f"JSON written to {args.json}")
        return 0
    except KeyboardInterrupt:
        say("\ninterrupted; stopping the servers")
        return 130
    except SystemExit:
        say("\nterminated; stopping the servers")
        raise
    except RuntimeError as exc:
        loud(f"benchmark aborted: {exc}")
        return 1
    finally:
        fleet.stop_all()
        if temp and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        elif temp or args.keep:
            say(f"(bench files kept in {work})")


if __name__ == "__main__":
    sys.exit(main())
