"""Training the learned event review (`eventscope train`, `make model`).

The rules run on the train split of the project's corpus with the review off; every
candidate event they propose is recorded with its features (`events_learned.features`)
and labelled from the annotation: the gold type of the event it stands for (matched by
type and trigger sentence, else by sentence alone) or NONE. A multinomial logistic
regression (scikit-learn) is fitted on them; its strength of regularisation, whether it
reads the parser's context vectors and the drop threshold are chosen by cross-validation
over stories of the train split (the dev and test splits are not read). Two models are
written: `combined` (reads the rules' type, rule and mode too) and `learned` (does not).

Training is deterministic: the same corpus and the same extractors give the same
weights (lbfgs, no random state), so the artefacts in `kb/learned/` can be rebuilt and
checked.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from eventscope.evaluate import own
from eventscope.evaluate.base import predict
from eventscope.evaluate.own_task import ArticleScore, body_of
from eventscope.extract.events_learned import MODELS, NONE, RECORDER, EventModel, decide
from eventscope.kb.knowledge import KnowledgeBase

log = logging.getLogger(__name__)

RULE_PREFIXES = ("type=", "rule=", "mode=", "type|lemma=", "prior_type", "sent_type")
STRENGTHS = (0.1, 0.3, 1.0)  # C of the logistic regression
# P(NONE) at which to drop a candidate; 1.01 never drops (the review only retypes)
THRESHOLDS = (*(round(0.3 + 0.05 * k, 2) for k in range(11)), 1.01)
MIN_COUNT = 2  # a feature seen fewer times in training is left out
FOLDS = 5


@dataclass(frozen=True)
class Candidate:
    """One proposed event of the train split, its features and its label."""

    story: str
    rule_type: str
    names: tuple[str, ...]
    vector: np.ndarray
    label: str  # a PLOVER type or NONE


def train_articles(root: Path = own.ROOT) -> list[own.OwnArticle]:
    """The train split's articles whose annotation is valid."""
    stories = set(own.splits(root).get("train", []))
    return [a for a in own.load(root) if a.story in stories and not own.problems(a)]


def digest(articles: Sequence[own.OwnArticle]) -> str:
    """A digest of the training articles and their annotations (what the model learned)."""
    h = hashlib.sha1()
    for a in sorted(articles, key=lambda x: x.ref):
        h.update(a.ref.encode())
        h.update(a.text.encode())
        h.update(json.dumps(a.annotation, sort_keys=True, default=str).encode())
    return h.hexdigest()


def candidates(
    articles: Sequence[own.OwnArticle], kb: KnowledgeBase | None = None
) -> tuple[list[Candidate], Counter[str]]:
    """Every candidate event the rules propose in `articles`, labelled, and the number of
    gold events of each story (recall counts them all, found or not)."""
    recorded: list[tuple[str, Any, list[str], Any]] = []
    token = RECORDER.set(recorded)
    try:
        results = dict(predict(((a.ref, body_of(a)[1], a.published) for a in articles), kb=kb))
    finally:
        RECORDER.reset(token)
    by_ref = {a.ref: a for a in articles}
    labels = {ref: ArticleScore(by_ref[ref], rec).labels() for ref, rec in results.items()}
    gold = Counter[str]()
    for a in articles:
        gold[a.story] += len(ArticleScore(a, None).gold_events)
    found = []
    for key, event, names, vector in recorded:
        article = by_ref.get(key)
        if article is None:
            continue
        label = labels.get(key, {}).get(event.id, (NONE, None))[0]
        found.append(Candidate(article.story, event.type, tuple(names), vector, label))
    return found, gold


def _names(c: Candidate, rules: bool) -> tuple[str, ...]:
    return c.names if rules else tuple(n for n in c.names if not n.startswith(RULE_PREFIXES))


def fit(items: Sequence[Candidate], *, strength: float, dense: bool, rules: bool) -> EventModel:
    """A softmax model of the candidates' labels."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    counts = Counter(n for c in items for n in set(_names(c, rules)))
    vocabulary = {
        n: i for i, n in enumerate(sorted(n for n, k in counts.items() if k >= MIN_COUNT))
    }
    width = len(items[0].vector) if dense and items else 0
    x = hstack([_sparse(items, vocabulary, rules), csr_matrix(_dense(items, width))]).tocsr()
    y = [c.label for c in items]
    classes = sorted(set(y))
    if len(classes) < 2:
        raise ValueError("training needs candidates of at least two labels")
    model = LogisticRegression(C=strength, max_iter=3000, tol=1e-6)
    model.fit(x, y)
    weights = model.coef_.T
    bias = model.intercept_
    if len(classes) == 2:  # scikit-learn keeps one column for two classes
        weights = np.hstack([-weights / 2, weights / 2])
        bias = np.array([-bias[0] / 2, bias[0] / 2])
    return EventModel(
        tuple(str(c) for c in model.classes_), vocabulary, weights, bias, width, 1.0, rules
    )


def _sparse(items: Sequence[Candidate], vocabulary: dict[str, int], rules: bool) -> Any:
    from scipy.sparse import csr_matrix

    rows, cols = [], []
    for r, c in enumerate(items):
        for col in {vocabulary[n] for n in _names(c, rules) if n in vocabulary}:
            rows.append(r)
            cols.append(col)
    data = np.ones(len(rows))
    return csr_matrix((data, (rows, cols)), shape=(len(items), len(vocabulary)))


def _dense(items: Sequence[Candidate], width: int) -> np.ndarray:
    out = np.zeros((len(items), width))
    for r, c in enumerate(items):
        out[r, : min(width, len(c.vector))] = c.vector[:width]
    return out


def tally(
    model: EventModel, items: Sequence[Candidate], threshold: float, retype: bool
) -> tuple[int, int]:
    """(right, kept) of the review's decisions on labelled candidates: a kept candidate
    is right when its final type is its label."""
    kept = right = 0
    for c in items:
        names = _names(c, model.rule_features)
        decided = decide(model, names, c.vector, c.rule_type, threshold, retype)
        if decided != NONE:
            kept += 1
            right += decided == c.label
    return right, kept


def _prf(right: int, kept: int, gold: int) -> dict[str, float]:
    p = right / kept if kept else 0.0
    r = right / gold if gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def cross_validate(
    items: Sequence[Candidate], gold: Counter[str], *, rules: bool
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The best setting by F1 over folds of stories, and the table of every setting."""
    stories = sorted({c.story for c in items})
    folds = [stories[k::FOLDS] for k in range(min(FOLDS, len(stories)))]
    table = []
    for strength in STRENGTHS:
        for dense in (False, True):
            held: list[tuple[EventModel, list[Candidate], int]] = []
            for fold in folds:
                train = [c for c in items if c.story not in fold]
                test = [c for c in items if c.story in fold]
                if not train or not test or len({c.label for c in train}) < 2:
                    continue
                model = fit(train, strength=strength, dense=dense, rules=rules)
                held.append((model, test, sum(gold[s] for s in fold)))
            for threshold in THRESHOLDS:
                # the learned arm always types by itself (it does not read the rules')
                for retype in (False, True) if rules else (True,):
                    right = kept = total = 0
                    for model, test, fold_gold in held:
                        r, k = tally(model, test, threshold, retype)
                        right, kept, total = right + r, kept + k, total + fold_gold
                    table.append(
                        {
                            "C": strength,
                            "dense": dense,
                            "threshold": threshold,
                            "retype": retype,
                            **_prf(right, kept, total),
                        }
                    )
    best = max(table, key=lambda row: (row["f1"], row["precision"]))
    return best, table


def rules_alone(items: Sequence[Candidate], gold: Counter[str]) -> dict[str, float]:
    """The candidates as the rules type them, all kept: the baseline of the table."""
    right = sum(1 for c in items if c.label == c.rule_type)
    return _prf(right, len(items), sum(gold.values()))


def train(
    root: Path = own.ROOT, out: Path = MODELS, kb: KnowledgeBase | None = None
) -> dict[str, Any]:
    """Fit both models on the train split and write them to `out`; returns a summary
    with the cross-validated figures of each (train split only)."""
    articles = train_articles(root)
    if not articles:
        raise ValueError(f"no annotated train-split articles under {root}")
    items, gold = candidates(articles, kb)
    summary: dict[str, Any] = {
        "articles": len(articles),
        "candidates": len(items),
        "gold_events": sum(gold.values()),
        "labels": dict(Counter(c.label for c in items).most_common()),
        "rules": rules_alone(items, gold),
        "digest": digest(articles),
    }
    for name, rules in (("combined", True), ("learned", False)):
        best, _table = cross_validate(items, gold, rules=rules)
        model = fit(items, strength=best["C"], dense=best["dense"], rules=rules)
        model = EventModel(
            model.classes,
            model.vocabulary,
            model.weights,
            model.bias,
            model.dense,
            best["threshold"],
            rules,
            best["retype"],
        )
        model.save(
            out / f"events-{name}.npz", digest=summary["digest"], cross_validated=json.dumps(best)
        )
        summary[name] = best
        log.info("%s: %s", name, best)
    return summary


__all__ = ["Candidate", "candidates", "cross_validate", "digest", "fit", "train"]
