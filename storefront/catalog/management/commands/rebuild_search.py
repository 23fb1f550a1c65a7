"""`manage.py rebuild_search`: rewrite every product's search document and the search vocabulary.

For bulk loads, which bypass the save signals that keep documents current (`seed_demo` runs it), and for
production after an import or a restore. One transaction: searches meanwhile see the old documents.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from storefront.catalog.search import documents


class Command(BaseCommand):
    help = "Rebuild the search documents and vocabulary of every active product."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        count = documents.rebuild()
        self.stdout.write(
            f"Search documents rebuilt for {count} products in {time.perf_counter() - started:.1f} s."
        )
