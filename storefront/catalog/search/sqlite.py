"""The SQLite search backend (the embedded default): FTS5 tables kept in step with the search documents by triggers.

`catalog_searchdocument_fts` (unicode61 tokenizer, columns names/brand/category) finds the documents holding a
word or a word start; the score is computed here from which column matched, the same formula as PostgreSQL's.
`catalog_searchterm_fts` (the trigram tokenizer) over the vocabulary gives typo candidates for words of six
letters or more; a shorter word shares few trigrams with its typo, so for those the vocabulary words of a
similar length that share a one-deletion variant with the query word are the candidates.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import AbstractContextManager, nullcontext

from django.db import connection

from .. import textmatch

_FIELDS = (("names", 3.0), ("brand", 2.0), ("category", 1.0))
SHORT = 5
CANDIDATES = 500


def _phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _match(level) -> str:
    parts = [_phrase(w) for w in level.words]
    if level.prefix:
        parts.append(_phrase(level.prefix) + " *")
    return " OR ".join(parts)


class SqliteBackend:
    def session(self) -> AbstractContextManager[None]:
        return nullcontext()

    def typo_candidates(self, term: str, limit: int) -> list[str]:
        lo, hi = len(term) - limit, len(term) + limit
        found: dict[str, None] = {}
        with connection.cursor() as cursor:
            trigrams = {term[i : i + 3] for i in range(len(term) - 2)}
            if trigrams:
                cursor.execute(
                    "SELECT t.word FROM catalog_searchterm_fts f JOIN catalog_searchterm t ON t.id = f.rowid "
                    "WHERE catalog_searchterm_fts MATCH %s AND length(t.word) BETWEEN %s AND %s "
                    "ORDER BY f.rank LIMIT %s",
                    [" OR ".join(_phrase(t) for t in sorted(trigrams)), lo, hi, CANDIDATES],
                )
                found.update((row[0], None) for row in cursor.fetchall())
            if len(term) <= SHORT and limit == 1:
                # Within one edit, the word and the query share a one-deletion variant (SymSpell's rule):
                # SQLite compares the variants, Python only checks the few words that pass.
                variants = sorted(textmatch.deletes(term, 1))
                marks = ", ".join(["%s"] * len(variants))
                shared = " OR ".join(
                    f"substr(word, 1, {i}) || substr(word, {i + 2}) IN ({marks})" for i in range(hi)
                )
                cursor.execute(
                    f"SELECT word FROM catalog_searchterm WHERE length(word) BETWEEN %s AND %s "
                    f"AND (word IN ({marks}) OR {shared})",
                    [lo, hi, *variants * (hi + 1)],
                )
                found.update((row[0], None) for row in cursor.fetchall())
            elif (
                len(term) <= SHORT
            ):  # "Did you mean" for a short word that found nothing: a rare, looser look
                cursor.execute(
                    "SELECT word FROM catalog_searchterm WHERE length(word) BETWEEN %s AND %s", [lo, hi]
                )
                found.update((row[0], None) for row in cursor.fetchall())
        return list(found)

    def _ids(self, cursor, column: str, match: str) -> list[int]:
        cursor.execute(
            "SELECT f.rowid FROM catalog_searchdocument_fts f JOIN catalog_product p ON p.id = f.rowid "
            "WHERE catalog_searchdocument_fts MATCH %s AND p.is_active",
            [f"{column} : ({match})"],
        )
        return [row[0] for row in cursor.fetchall()]

    def rank(self, terms, *, require_all: bool, limit: int) -> list[int]:
        coverage: dict[int, int] = defaultdict(int)
        score: dict[int, float] = defaultdict(float)
        with connection.cursor() as cursor:
            for term in terms:
                best: dict[int, float] = {}
                for level in term.levels:
                    match = _match(level)
                    for column, weight in _FIELDS:
                        value = weight * level.quality
                        for pid in self._ids(cursor, column, match):
                            if value > best.get(pid, 0):
                                best[pid] = value
                for pid, value in best.items():
                    coverage[pid] += 1
                    score[pid] += value
            keep = [pid for pid, c in coverage.items() if c == len(terms)] if require_all else list(coverage)
            if not keep:
                return []
            lengths = self._name_lengths(cursor, keep)
        keep.sort(key=lambda pid: (-coverage[pid], -score[pid], lengths.get(pid, 0), pid))
        return keep[:limit]

    def _name_lengths(self, cursor, ids: list[int]) -> dict[int, int]:
        out: dict[int, int] = {}
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            placeholders = ", ".join(["%s"] * len(chunk))  # only placeholders go into the SQL text
            cursor.execute(
                f"SELECT product_id, name_length FROM catalog_searchdocument WHERE product_id IN ({placeholders})",
                chunk,
            )
            out.update(cursor.fetchall())
        return out

    def unused_words(self, words: list[str]) -> list[str]:
        unused = []
        with connection.cursor() as cursor:
            for word in words:
                cursor.execute(
                    "SELECT 1 FROM catalog_searchdocument_fts WHERE catalog_searchdocument_fts "
                    "MATCH %s LIMIT 1",
                    [_phrase(word)],
                )
                if cursor.fetchone() is None:
                    unused.append(word)
        return unused

    def document_count(self, word: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM catalog_searchdocument_fts f JOIN catalog_product p ON p.id = f.rowid "
                "WHERE catalog_searchdocument_fts MATCH %s AND p.is_active",
                [_phrase(word)],
            )
            return cursor.fetchone()[0]


BACKEND = SqliteBackend()
