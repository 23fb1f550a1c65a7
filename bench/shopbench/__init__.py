"""Storefront performance benchmark: ours vs. the django-oscar peer, one shop at a time, on 127.0.0.1.

What it does (see bench/README.md):
  1. builds a throw-away copy of the shop in a temp dir (own SQLite file, MEDIA_ROOT and STATIC_ROOT):
     `migrate`, `seed_demo`, `collectstatic` -- the developer's db.sqlite3 and media/ are never touched;
  2. serves it with `gunicorn -w 2` (DEBUG off), waits for /healthz, checks every page answers 200,
     warms up, then runs wrk (-t2 -c16 --latency) several rounds per page and keeps the median;
  3. if the peer kit (/work/shared/peers/oscar) is present, builds it under /tmp/oscar-peer (idempotent),
     serves it the same way *after* ours is stopped, measures Oscar's matching pages, prints ratios;
  4. loads each product page once in Chromium (Playwright, empty cache) and sums the bytes on the wire;
  5. prints a table and the targets met/MISSED. The exit code is 0 whenever the measurement ran.

Run from the project root:  make bench   (or .venv/bin/python bench/run.py, or PYTHONPATH=bench .venv/bin/python -m shopbench)
                            .venv/bin/python bench/run.py --quick    (1 round x 3 s, ~3-4 min with the seed)

One module per job, no module-level mutable state (the parsed options and a serve.Fleet are passed along):
  config (settings, pages and targets, the command line), common (output, formatting, HTTP GET), seed (our
  shop's throw-away copy), serve (gunicorn servers), load (wrk), weight (Chromium first load), peer
  (django-oscar), report (verdicts and the table), __main__ (one run, in order).
"""
