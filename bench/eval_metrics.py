"""Benchmark: metric time for 1,000 prediction/reference pairs of ~150 words.

Texts are built from the bundled sample's answers (SYNTHETIC): each reference is answer
sentences joined to ~150 words; its prediction is the same number of words drawn from
other answers, so overlaps look like a weak model's. Every metric runs through
medtune.evaluation.metrics exactly as ``medtune eval`` calls it.

    python bench/eval_metrics.py [--pairs 1000] [--words 150] [--threads 1] [--skip-bertscore]

Prints wall and CPU seconds and pairs/s per metric group (CPU time is the steadier number on a
shared machine); BERTScore uses the offline all-MiniLM-L6-v2
fallback (HF_HUB_OFFLINE=1 is set here so nothing waits on the hub).
"""

from __future__ import annotations

import argparse
import os
import random
import time


def texts(pairs: int, words: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """``pairs`` (prediction, reference) texts of about ``words`` words each."""
    from medtune.data.sample import load_sample
    from medtune.text import sentences

    pool = [s for row in load_sample() for s in sentences(row["output"])]
    rng = random.Random(seed)

    def one() -> str:
        out: list[str] = []
        while sum(len(s.split()) for s in out) < words:
            out.append(rng.choice(pool))
        return " ".join(out)

    return [one() for _ in range(pairs)], [one() for _ in range(pairs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--words", type=int, default=150)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--skip-bertscore", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    import torch

    from medtune.evaluation import metrics

    torch.set_num_threads(args.threads)
    predictions, references = texts(args.pairs, args.words)
    questions = ["I have a headache and fever since two days."] * args.pairs
    mean_words = sum(len(t.split()) for t in predictions + references) / (2 * args.pairs)
    print(f"{args.pairs} pairs, {mean_words:.0f} words on average, {torch.get_num_threads()} torch threads")

    def timed(name: str, fn: object) -> None:
        start, cpu = time.perf_counter(), time.process_time()
        fn()  # type: ignore[operator]
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"{name:<36} wall {seconds:>7.2f} s  cpu {cpu:>7.2f} s  {args.pairs / seconds:>8.1f} pairs/s")

    timed(
        "ROUGE-1/2/L/Lsum (rouge-score)",
        lambda: metrics.rouge(predictions, references, metrics.GROUPS["rouge"]),
    )
    timed("BLEU sentence + corpus (sacrebleu)", lambda: metrics.bleu(predictions, references))
    timed("chrF sentence + corpus (sacrebleu)", lambda: metrics.chrf(predictions, references))
    timed(
        "medical detectors (6 metrics)",
        lambda: [
            metrics.medical_scores(p, r, q)
            for p, r, q in zip(predictions, references, questions, strict=True)
        ],
    )
    if not args.skip_bertscore:
        backend = metrics.resolve_bertscore("roberta-large")
        print(f"BERTScore encoder: {backend.label}")
        scorer = metrics.BertScorer(backend)
        timed("BERTScore load + warm-up (2 pairs)", lambda: scorer.score(predictions[:2], references[:2]))
        timed("BERTScore (MiniLM-L6, batch 32)", lambda: scorer.score(predictions, references))


if __name__ == "__main__":
    main()
