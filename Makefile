# The two commands a newcomer needs (see README):  make run  |  make test
.PHONY: run reset test env system-packages node-tools db seed messages bench bench-100k bench-voice-100k a11y worker scheduler production

POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
BENCH_SCALE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/scale_bench
# The task queue's broker for `make worker` / `make scheduler` (`make run` needs none: tasks run inline there).
CELERY_BROKER_URL ?= redis://127.0.0.1:6379/0
PY := .venv/bin/python

run: env messages db seed  ## set up everything on the embedded default (SQLite) and serve http://127.0.0.1:8000
	@echo "==> Serving http://127.0.0.1:8000 (stays in the foreground; Ctrl+C stops it; e-mails print below)"
	$(PY) manage.py runserver 127.0.0.1:8000

reset:  ## start the demo data again: drop the embedded database and media/, migrate and seed (then `make run`)
	@case "$${DATABASE_URL:-sqlite}" in sqlite*) ;; *) echo "make reset only resets the embedded SQLite demo"; exit 2;; esac
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
	rm -rf media
	$(MAKE) --no-print-directory db seed

worker:  ## run the task worker (scheduled jobs, e-mail) against CELERY_BROKER_URL; point `make run` at it too
	CELERY_BROKER_URL=$(CELERY_BROKER_URL) $(PY) -m celery -A storefront worker --loglevel=INFO --concurrency=2

scheduler:  ## run the scheduler (celery beat): queues reconciliation and expiry jobs for the worker; run exactly one
	CELERY_BROKER_URL=$(CELERY_BROKER_URL) $(PY) -m celery -A storefront beat --loglevel=INFO --schedule=celerybeat-schedule

production: env messages  ## the production set (web, worker, scheduler, voice) on this machine's PostgreSQL and Redis, DEBUG off
	bash deploy/production.sh

test: system-packages env node-tools messages  ## install what tests need, then lint, then the whole suite (SQLite, then PostgreSQL)
	$(PY) -m ruff check storefront editions tests bench
	$(PY) -m ruff format --check storefront editions tests bench
	$(PY) -m mypy
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -m "not postgres"
	bash .ci/postgres-up
	DATABASE_URL=$(POSTGRES_URL) REQUIRE_POSTGRES=1 $(PY) -m pytest -m "not browser and not voice and not screenreader and not validator"

env:
	bash .ci/python-env

system-packages:
	bash .ci/system-packages

node-tools:  ## the npm test tools pinned in tests/tools (W3C Nu HTML checker, HTML_CodeSniffer)
	bash .ci/node-tools

messages:
	@if ls locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then $(PY) manage.py compilemessages -v0 --ignore=.venv; fi

db:
	$(PY) manage.py migrate --noinput

seed:
	$(PY) manage.py seed_demo

bench:
	PYTHONPATH=bench $(PY) -m shopbench

bench-100k:  ## grow a PostgreSQL catalogue to 100,000 products and measure 1k vs 100k (bench/scale.py)
	$(PY) bench/scale.py

bench-voice-100k:  ## voice served at the demo and at the 100,000 products bench-100k left (PostgreSQL), #12's voice targets
	$(PY) bench/voice/served.py --versus-demo --in-flight 20 --utterances 200 --database-url $(BENCH_SCALE_DATABASE_URL)

a11y: system-packages env node-tools messages  ## the accessibility report: axe-core + HTML_CodeSniffer on every page type of every edition, the Nu HTML checker, Orca transcripts
	$(PY) -m pytest tests/browser/test_axe_crawl.py tests/browser/test_elder.py tests/html tests/screenreader -q
