"""Voice search benchmark: spoken catalogue queries synthesised with espeak-ng, recognised with the shipped model.

The query set is every category name plus a sample of product names (from storefront/catalog/demo_data.py, every
brand x item, so no database is needed), each spoken with several espeak-ng voice variants, two rates and two
pitches, clean and with light white noise (sox, vol 0.02, about 15 dB SNR). Prints top-1/top-3 accuracy and
recognition latency (model load excluded) for the voice engine and for the naive baseline (free-form
recognition, then plain word search) as a table.

    .venv/bin/python bench/voice/run.py            # 14 categories + 200 products, 2 variants each, clean+noisy
    .venv/bin/python bench/voice/run.py --quick    # smaller sample
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from array import array
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront.settings")

import django  # noqa: E402

django.setup()

from shopbench.common import progress  # noqa: E402

from storefront.voice import decoder, recogniser, registry, vocabulary  # noqa: E402

# What #17 measured before the voice service, numpy audio and rapidfuzz (same set, seed 7): printed beside today's.
BEFORE = {"clean top-3": "80%", "noisy top-3": "60-62%", "p50 ms": "155-165", "p95 ms": "245-276"}
# The phrase-loop grammar, last before the sentence graph (storefront/voice/sentences.py), same set and seed.
PHRASE_LOOP = {
    "clean top-1/top-3": "67.3% / 79.2%",
    "noisy top-1/top-3": "69.6% / 79.7%",
    "p95 ms": "122-126",
}
VOICES = ("ko", "ko+f2", "ko+m3", "ko+f4")
RATES = (130, 165)
PITCHES = (40, 65)
NOISE_VOL = 0.02


@dataclass(frozen=True)
class Query:
    kind: str  # "product" or "category"
    text: str
    target: int | str  # product id, or category text


@dataclass(frozen=True)
class Utterance:
    query: Query
    voice: str
    rate: int
    pitch: int
    noisy: bool


def make_queries(rows: list[tuple[int, str, str, str]], products: int, seed: int) -> list[Query]:
    rng = random.Random(seed)
    categories = sorted({row[3] for row in rows})
    queries = [Query("category", c, vocabulary.normalise(c)) for c in categories]
    queries += [Query("product", name, pid) for pid, name, _b, _c in rng.sample(rows, products)]
    return queries


def make_utterances(queries: list[Query], variants: int, seed: int) -> list[Utterance]:
    """Each query with `variants` voice/rate/pitch combinations (cycled so every combination is used), clean and noisy."""
    combos = list(itertools.product(VOICES, RATES, PITCHES))
    random.Random(seed).shuffle(combos)
    cycle = itertools.cycle(combos)
    out = []
    for query in queries:
        for _ in range(variants):
            voice, rate, pitch = next(cycle)
            for noisy in (False, True):
                out.append(Utterance(query, voice, rate, pitch, noisy))
    return out


def synthesise(utt: Utterance) -> bytes:
    """16 kHz mono 16-bit PCM (no header), noise mixed in with sox's whitenoise generator when asked."""
    wav = subprocess.run(
        ["espeak-ng", "-v", utt.voice, "-s", str(utt.rate), "-p", str(utt.pitch), "--stdout", utt.query.text],
        capture_output=True,
        check=True,
    ).stdout
    pcm = subprocess.run(
        ["sox", "-t", "wav", "-", "-t", "raw", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed", "-"],
        input=wav,
        capture_output=True,
        check=True,
    ).stdout
    if not utt.noisy:
        return pcm
    seconds = len(pcm) / 32000
    noise = subprocess.run(
        [
            "sox",
            "-R",
            "-n",
            "-t",
            "raw",
            "-r",
            "16000",
            "-c",
            "1",
            "-b",
            "16",
            "-e",
            "signed",
            "-",
            "synth",
            f"{seconds:.3f}",
            "whitenoise",
            "vol",
            str(NOISE_VOL),
        ],
        capture_output=True,
        check=True,
    ).stdout
    a, b = array("h", pcm), array("h", noise[: len(pcm)])
    return array("h", (max(-32768, min(32767, x + y)) for x, y in zip(a, b))).tobytes()


def correct_at(vocab: vocabulary.Vocabulary, query: Query, ids: list[int], k: int) -> bool:
    if query.kind == "product":
        return query.target in ids[:k]
    return any(vocab.product_category.get(pid) == query.target for pid in ids[:k])


def naive_search(vocab: vocabulary.Vocabulary, transcript: str) -> list[int]:
    """Plain word search: products ranked by how many transcript words occur in their name or category."""
    terms = set(transcript.split())
    if not terms:
        return []
    scored = []
    for pid, text in vocab.product_text.items():
        hits = len(terms & (set(text.split()) | set(vocab.product_category[pid].split())))
        if hits:
            scored.append((-hits, pid))
    return [pid for _h, pid in sorted(scored)]


_worker_model = None


def _baseline_worker(pcm: bytes) -> tuple[str, float]:
    global _worker_model
    if _worker_model is None:  # the model's own open vocabulary (not the catalogue's sentence graph)
        import vosk

        path = registry.model_path("ko")
        _worker_model = vosk.Model(decoder.model_dir(path, decoder.options_for("ko")))
    start = time.perf_counter()
    alts = recogniser.decode(_worker_model, pcm, None, alternatives=1)
    return (alts[0].text if alts else ""), time.perf_counter() - start


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def summarise(
    name: str, utts: list[Utterance], hits1: list[bool], hits3: list[bool], lat: list[float]
) -> list[str]:
    rows = []
    for label, keep in (("clean", lambda u: not u.noisy), ("noisy", lambda u: u.noisy)):
        idx = [i for i, u in enumerate(utts) if keep(u)]
        if not idx:
            continue
        t1 = 100 * sum(hits1[i] for i in idx) / len(idx)
        t3 = 100 * sum(hits3[i] for i in idx) / len(idx)
        ms = [lat[i] * 1000 for i in idx]
        rows.append(
            f"{name:<22} {label:<6} {len(idx):>5} {t1:>6.1f}% {t3:>6.1f}% {statistics.median(ms):>8.0f} "
            f"{p95(ms):>8.0f}"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="60 products, 1 variant each, baseline on 20")
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--variants", type=int, default=2, help="voice/rate/pitch combinations per query")
    parser.add_argument(
        "--baseline", type=int, default=80, help="utterances for the slow free-form baseline (0: skip)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--denoise", choices=("on", "off"), help="override VOICE_DENOISE (on by default)")
    parser.add_argument("--failures", action="store_true", help="print the misrecognised product queries")
    args = parser.parse_args()
    if args.quick:
        args.products, args.variants, args.baseline = 60, 1, 20
    if args.denoise:
        from django.conf import settings

        settings.VOICE_DENOISE = args.denoise == "on"

    started = time.perf_counter()
    rows = vocabulary.demo_rows()
    queries = make_queries(rows, min(args.products, len(rows)), args.seed)
    utts = make_utterances(queries, args.variants, args.seed)
    with ThreadPoolExecutor(args.workers * 2) as pool:  # espeak/sox run in subprocesses: threads suffice
        pcms = list(progress(pool.map(synthesise, utts), total=len(utts), desc="synthesising"))
    synth_s = time.perf_counter() - started

    load_start = time.perf_counter()
    model = registry.get_model("ko")
    vocab = vocabulary.from_rows("ko", model, "bench", rows)
    # As served: the model decoding the catalogue's sentences (the phrase grammar where it cannot be made).
    model = registry.sentence_model("ko", vocab.sentences, vocab.sentences_digest, model) or model
    load_s = time.perf_counter() - load_start

    hits1, hits3, lat, cpu, failures = [], [], [], [], []
    recogniser.recognise_pcm(
        pcms[0], "ko", model, vocab, typed_search=False
    )  # warm caches, like a live server
    load_before = os.getloadavg()[0]
    for utt, pcm in progress(zip(utts, pcms), total=len(utts), desc="recognising"):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = recogniser.recognise_pcm(pcm, "ko", model, vocab, typed_search=False)
        lat.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        hits1.append(correct_at(vocab, utt.query, result.product_ids, 1))
        hits3.append(correct_at(vocab, utt.query, result.product_ids, 3))
        if not hits1[-1]:
            failures.append((utt, result.transcript, result.heard))
    ours_s = time.perf_counter() - started - synth_s - load_s

    lines = [
        "",
        f"{len(queries)} queries ({sum(q.kind == 'category' for q in queries)} categories), "
        f"{len(utts)} utterances; grammar {len(vocab.phrases)} phrases; "
        f"mean audio {statistics.mean(len(p) / 32000 for p in pcms):.2f} s, "
        f"max {max(len(p) / 32000 for p in pcms):.2f} s",
        f"synthesis {synth_s:.0f} s, model+vocabulary load {load_s:.1f} s, voice engine {ours_s:.0f} s; "
        f"noise reduction {'on' if recogniser._denoise_on() else 'off'}",
        "",
        f"{'system':<22} {'audio':<6} {'n':>5} {'top-1':>7} {'top-3':>7} {'p50 ms':>8} {'p95 ms':>8}",
    ]
    lines.append(
        f"{'before (#17)':<22} clean/noisy top-3 {BEFORE['clean top-3']} / {BEFORE['noisy top-3']}, "
        f"p50 {BEFORE['p50 ms']} ms, p95 {BEFORE['p95 ms']} ms"
    )
    lines.append(
        f"{'phrase loop (stop 21)':<22} clean {PHRASE_LOOP['clean top-1/top-3']}, "
        f"noisy {PHRASE_LOOP['noisy top-1/top-3']}, p95 {PHRASE_LOOP['p95 ms']} ms"
    )
    lines += summarise("voice engine", utts, hits1, hits3, lat)
    lines.append(
        f"{'':<22} CPU time per utterance (all decoding threads) p50 {1000 * statistics.median(cpu):.0f} ms, "
        f"p95 {1000 * p95(cpu):.0f} ms; load average "
        f"{load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (latency includes contention)"
    )
    lines.append(
        f"{'':<22} peak RSS of this process (model, vocabulary, all test audio) "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    for kind in ("category", "product"):
        idx = [i for i, u in enumerate(utts) if u.query.kind == kind]
        sub = [utts[i] for i in idx]
        lines += summarise(
            f"  {kind} queries", sub, [hits1[i] for i in idx], [hits3[i] for i in idx], [lat[i] for i in idx]
        )

    if args.baseline:
        rng = random.Random(args.seed)
        pick = sorted(rng.sample(range(len(utts)), min(args.baseline, len(utts))))
        base_start = time.perf_counter()
        with ProcessPoolExecutor(args.workers) as pool:
            outs = list(pool.map(_baseline_worker, [pcms[i] for i in pick]))
        b1, b3, bl = [], [], []
        for i, (text, seconds) in zip(pick, outs):
            ids = naive_search(vocab, text)
            b1.append(correct_at(vocab, utts[i].query, ids, 1))
            b3.append(correct_at(vocab, utts[i].query, ids, 3))
            bl.append(seconds)
        lines += summarise("baseline (free-form)", [utts[i] for i in pick], b1, b3, bl)
        lines.append(
            f"baseline: {len(pick)} random utterances of the same set, {args.workers} processes in "
            f"parallel ({time.perf_counter() - base_start:.0f} s; its latency includes that contention)"
        )
    if args.failures:
        lines.append("\nmisses (top-1):")
        for utt, transcript, heard in failures:
            lines.append(
                f"  {utt.query.text} [{utt.voice} s{utt.rate} p{utt.pitch}{' noisy' if utt.noisy else ''}]"
                f" -> {transcript} (heard: {heard})"
            )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
