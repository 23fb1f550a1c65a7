#!/usr/bin/env bash
# `make production`: the production set of processes on this machine, against its PostgreSQL and Redis.
# web (gunicorn, gunicorn.conf.py), voice (its own app, when storefront/voice/wsgi.py exists), task worker and
# scheduler (celery), with DEBUG off, the Redis cache and shared sessions. Plain HTTP on 127.0.0.1 (no TLS here),
# the payment sandbox instead of a real gateway. Ctrl+C stops them all. Every setting can be overridden.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

export DEBUG=False
export DATABASE_URL=${PRODUCTION_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/openbasket}
export CACHE_BACKEND=${CACHE_BACKEND:-django.core.cache.backends.redis.RedisCache}
export CACHE_LOCATION=${CACHE_LOCATION:-redis://127.0.0.1:6379/1}
export CACHE_KEY_PREFIX=${CACHE_KEY_PREFIX:-openbasket}
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}
export SECRET_KEY=${SECRET_KEY:-local-production-run-only-not-a-real-secret-$(hostname)}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-False} SESSION_COOKIE_SECURE=${SESSION_COOKIE_SECURE:-False}
export CSRF_COOKIE_SECURE=${CSRF_COOKIE_SECURE:-False} SECURE_HSTS_SECONDS=${SECURE_HSTS_SECONDS:-0}
export PAYMENT_SANDBOX=${PAYMENT_SANDBOX:-True}
export PORT=${PORT:-8000}
export VOICE_PORT=${VOICE_PORT:-8001}

bash .ci/postgres-up
redis-cli -u "$CACHE_LOCATION" ping >/dev/null || { echo "Redis is not reachable at $CACHE_LOCATION" >&2; exit 1; }
db_name=${DATABASE_URL##*/}
psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$db_name'" | grep -q 1 \
  || createdb -h 127.0.0.1 -U postgres "$db_name"

echo "==> migrate, static files, demo catalogue (first run only)"
$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput -v0
if [ "$($PY manage.py shell -c 'from storefront.catalog.models import Product; print(Product.objects.exists())')" = "False" ]; then
  $PY manage.py seed_demo
fi

pids=()
stop() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait; }
trap stop EXIT INT TERM

if [ -f storefront/voice/wsgi.py ]; then
  export VOICE_SERVICE_URL=${VOICE_SERVICE_URL:-http://127.0.0.1:$VOICE_PORT}
  $PY -m gunicorn -c gunicorn.conf.py --bind "127.0.0.1:$VOICE_PORT" storefront.voice.wsgi:application & pids+=($!)
fi
$PY -m gunicorn -c gunicorn.conf.py --bind "127.0.0.1:$PORT" storefront.wsgi:application & pids+=($!)
$PY -m celery -A storefront worker --loglevel=INFO --concurrency=2 & pids+=($!)
$PY -m celery -A storefront beat --loglevel=INFO --schedule=/tmp/openbasket-celerybeat-schedule & pids+=($!)
echo "==> Serving http://127.0.0.1:$PORT (web, worker, scheduler$([ -f storefront/voice/wsgi.py ] && echo ", voice on :$VOICE_PORT")); Ctrl+C stops all"
wait -n "${pids[@]}"
