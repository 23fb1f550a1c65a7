"""The PostgreSQL search backend: full-text search on each product's weighted document, pg_trgm for typos.

`catalog_searchdocument.document` is a stored generated tsvector (names weight A, brand B, category C, 'simple'
configuration over the words catalog.search.documents wrote: the language-specific stemmers would turn
"chocolate" into "chocol" and break search-as-you-type prefixes, and PostgreSQL has none for Chinese or Korean),
with a GIN index. Queries are tsquery values built from the plan (`'word':A`, `'pre':*A`), so no query text is
parsed twice differently. Scoring happens in SQL, so only the page of ids leaves the database. The vocabulary
(`catalog_searchterm`) has a trigram GIN index: typo candidates are the words sharing enough trigrams with the
query word, checked by edit distance in catalog.search.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

SIMILARITY = 0.2  # low enough that "mlk" (0.29 to "milk") is a candidate; edit distance decides
CANDIDATES = 200
# The planner's default random_page_cost (4, for spinning disks) makes it scan the whole document table for a
# word in 8% of the products (325 ms at 100k) rather than use the GIN index (80 ms); 1.1 is the usual value for
# SSDs and for a database held in memory. Both settings apply to the search's own statements only.
SESSION = [f"SET LOCAL pg_trgm.similarity_threshold = {SIMILARITY}", "SET LOCAL random_page_cost = 1.1"]
_WEIGHTS = (("A", 3.0), ("B", 2.0), ("C", 1.0))


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _query(level, weight: str = "") -> str:
    parts = [f"{_lexeme(w)}:{weight}" if weight else _lexeme(w) for w in level.words]
    if level.prefix:
        parts.append(f"{_lexeme(level.prefix)}:*{weight}")
    return " | ".join(parts)


class PostgresBackend:
    @contextmanager
    def session(self) -> Iterator[None]:
        """One transaction for a search's statements, with the planner settings above (SET LOCAL)."""
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in SESSION:
                cursor.execute(statement)
            yield

    def typo_candidates(self, term: str, limit: int) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM catalog_searchterm WHERE word %% %s AND char_length(word) BETWEEN %s AND %s "
                "ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                [term, len(term) - limit, len(term) + limit, term, CANDIDATES],
            )
            return [row[0] for row in cursor.fetchall()]

    def rank(self, terms, *, require_all: bool, limit: int) -> list[int]:
        params: list = []
        scores = []
        for term in terms:
            levels = []
            for level in term.levels:
                cases = []
                for weight, value in _WEIGHTS:
                    cases.append(f"WHEN d.document @@ %s::tsquery THEN {value * level.quality!r}")
                    params.append(_query(level, weight))
                levels.append("CASE " + " ".join(cases) + " ELSE 0 END")
            scores.append(f"GREATEST({', '.join(levels)})" if len(levels) > 1 else levels[0])
        matches = [" | ".join(_query(level) for level in term.levels) for term in terms]
        joined = (" & " if require_all else " | ").join(f"({m})" for m in matches)
        columns = ", ".join(f"{expr} AS s{i}" for i, expr in enumerate(scores))
        coverage = " + ".join(f"(s{i} > 0)::int" for i in range(len(scores)))
        score = " + ".join(f"s{i}" for i in range(len(scores)))
        # Ranked on the documents alone, then the page of ids is checked against the product table by key:
        # documents exist only for products on sale, but one withdrawn by a bulk `update()` (no signal) keeps
        # its document. Joining the product table before ranking reads the whole (wide) table for a common
        # word: ten times slower at 100k products.
        sql = (
            f"SELECT r.product_id FROM ("
            f"SELECT x.product_id, {coverage} AS coverage, {score} AS score, x.name_length FROM ("
            f"SELECT d.product_id, d.name_length, {columns} FROM catalog_searchdocument d "
            f"WHERE d.document @@ %s::tsquery) x "
            f"ORDER BY coverage DESC, score DESC, x.name_length, x.product_id LIMIT %s) r "
            f"WHERE EXISTS (SELECT 1 FROM catalog_product p WHERE p.id = r.product_id AND p.is_active) "
            f"ORDER BY r.coverage DESC, r.score DESC, r.name_length, r.product_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, joined, limit])
            return [row[0] for row in cursor.fetchall()]

    def unused_words(self, words: list[str]) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w FROM unnest(%s::text[]) AS w WHERE NOT EXISTS ("
                "SELECT 1 FROM catalog_searchdocument d WHERE d.document @@ (quote_literal(w))::tsquery)",
                [words],
            )
            return [row[0] for row in cursor.fetchall()]

    def document_count(self, word: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM catalog_searchdocument d WHERE d.document @@ %s::tsquery",
                [_lexeme(word)],
            )
            return cursor.fetchone()[0]


BACKEND = PostgresBackend()
