"""`manage.py load_rates rates.csv`: add or update exchange rates from a CSV with columns currency,rate,date.

`rate` is units of the currency per 1 unit of the base currency; `date` is YYYY-MM-DD. Every row is checked
first; if any row is bad, nothing is loaded and each problem is reported with its line number.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from storefront.markets.models import DEMO_AS_OF, ExchangeRate, load_demo_rates, validate_currency_code
from storefront.markets.money import BASE_CURRENCY

COLUMNS = ("currency", "rate", "date")
MAX_RATE = Decimal("1e10")


def parse_row(row: dict[str, str | None]) -> tuple[tuple[str, Decimal, date] | None, list[str]]:
    problems = []
    currency = (row.get("currency") or "").strip().upper()
    try:
        validate_currency_code(currency)
    except ValidationError:
        problems.append(f"unknown currency {currency or '(empty)'!r}")
    raw_rate = (row.get("rate") or "").strip()
    rate = None
    try:
        rate = Decimal(raw_rate)
        if not rate.is_finite() or rate <= 0 or rate >= MAX_RATE:
            raise InvalidOperation
        if rate != rate.quantize(Decimal("1e-8")):
            problems.append(f"rate {raw_rate!r} has more than 8 decimals")
    except InvalidOperation:
        problems.append(f"rate {raw_rate!r} is not a positive number")
        rate = None
    if currency == BASE_CURRENCY and rate is not None and rate != 1:
        problems.append(f"the base currency {BASE_CURRENCY} must have rate 1")
    raw_date = (row.get("date") or "").strip()
    try:
        as_of = date.fromisoformat(raw_date)
        if len(raw_date) != 10:
            raise ValueError
    except ValueError:
        problems.append(f"date {raw_date!r} is not YYYY-MM-DD")
        as_of = None
    if problems or rate is None or as_of is None:
        return None, problems
    return (currency, rate, as_of), []


class Command(BaseCommand):
    help = "Load exchange rates (units per 1 unit of the base currency) from a CSV: currency,rate,date."

    def add_arguments(self, parser):
        parser.add_argument("csv_path", nargs="?", help="CSV file with a header row: currency,rate,date")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="(Re)load the demo table of 2026-11-01 that the migrations seed.",
        )

    def handle(self, *args, csv_path: str | None = None, demo: bool = False, **options):
        if demo:
            loaded = load_demo_rates()
            self.stdout.write(
                self.style.SUCCESS(f"Loaded {loaded} demo rate(s) dated {DEMO_AS_OF.isoformat()}.")
            )
            if csv_path is None:
                return
        if csv_path is None:
            raise CommandError("Give a CSV file (columns currency,rate,date) or --demo.")
        path = Path(csv_path)
        if not path.is_file():
            raise CommandError(f"{csv_path}: no such file")
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
                missing = [c for c in COLUMNS if c not in header]
                if missing:
                    raise CommandError(
                        f"{csv_path}: the header must name the columns currency,rate,date "
                        f"(missing: {', '.join(missing)})"
                    )
                reader.fieldnames = header
                rows: list[tuple[str, Decimal, date]] = []
                errors: list[str] = []
                seen: dict[tuple[str, date], int] = {}
                for row in reader:
                    line = reader.line_num
                    if not any((v or "").strip() for k, v in row.items() if k is not None):
                        continue  # blank line
                    if None in row:
                        errors.append(f"line {line}: too many columns")
                        continue
                    parsed, problems = parse_row(row)
                    if problems:
                        errors.append(f"line {line}: " + "; ".join(problems))
                        continue
                    assert parsed is not None  # parse_row gives a row whenever it finds no problem
                    key = parsed[0], parsed[2]
                    if key in seen:
                        errors.append(
                            f"line {line}: {key[0]} on {key[1].isoformat()} already given on line {seen[key]}"
                        )
                        continue
                    seen[key] = line
                    rows.append(parsed)
        except UnicodeDecodeError as exc:
            raise CommandError(f"{csv_path}: not UTF-8 text ({exc.reason})") from exc
        except csv.Error as exc:
            raise CommandError(f"{csv_path}: not a valid CSV file ({exc})") from exc
        if errors:
            raise CommandError(f"{csv_path}: nothing loaded, {len(errors)} bad row(s):\n" + "\n".join(errors))
        if not rows:
            raise CommandError(f"{csv_path}: no rates in the file")
        created = 0
        with transaction.atomic():
            for currency, rate, as_of in rows:
                _obj, new = ExchangeRate.objects.update_or_create(
                    currency=currency, as_of=as_of, defaults={"rate": rate}
                )
                created += new
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {len(rows)} rate(s): {created} new, {len(rows) - created} updated.")
        )
