"""clustering: reports of one real event in one cluster (GVA incidents, ECB+ event chains).

GVA (`gva/*.jsonl.gz`): the articles of one incident form one gold cluster.
ECB+ (`ecbplus/*.tar.gz` of CoNLL `doc_key sent_id token_id token chain(s)`), two levels:
documents that share an event chain (ACT/NEG ids, transitively) form one gold cluster,
documents without an event mention are left out; event mentions are clustered by chain id,
and a pipeline event whose trigger overlaps a gold mention gives it the event's cluster.
Predictions come from the story stage (`evaluate.stories.run_stories`): articles by
story, event mentions by resolved event.
`limit` caps GVA articles and ECB+ documents, each in file order.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from eventscope.kb.knowledge import KnowledgeBase
from eventscope.model import ArticleRecords

from .base import Task, TaskReport, find_files, limited, open_maybe_gz, predict, timed
from .figures import GvaDoc, load_gva
from .figures import score as figure_score
from .metrics import bcubed, match_spans, pairwise
from .stories import StoryRun, agreement, run_stories

NAME = "clustering"
# Event chains: ACT (action) and NEG (negated action), with their one-mention variants.
EVENT_PREFIXES = ("ACT", "NEG", "Singleton_ACT", "Singleton_NEG")

Records = Mapping[str, ArticleRecords | None]


@dataclass(frozen=True, slots=True)
class EventMention:
    """A gold event mention: character offsets into its document's text and its chain id."""

    doc: str
    start: int
    end: int
    chain: str


@dataclass(frozen=True, slots=True)
class ConllDoc:
    """A CoNLL document: its tokens joined by spaces, one line per sentence."""

    key: str
    text: str
    mentions: tuple[EventMention, ...]


@dataclass
class _Builder:
    key: str
    pieces: list[str] = field(default_factory=list)
    length: int = 0
    sentence: str | None = None
    open_at: dict[str, list[int]] = field(default_factory=dict)
    mentions: list[EventMention] = field(default_factory=list)

    def add(self, sentence: str, token: str, chains: str) -> None:
        if self.pieces:
            separator = "\n" if sentence != self.sentence else " "
            self.pieces.append(separator)
            self.length += len(separator)
        self.sentence = sentence
        start, end = self.length, self.length + len(token)
        self.pieces.append(token)
        self.length = end
        for part in chains.split("|"):
            part = part.strip()
            chain = part.strip("()")
            if not chain.startswith(EVENT_PREFIXES):
                continue
            if part.startswith("("):
                self.open_at.setdefault(chain, []).append(start)
            if part.endswith(")") and self.open_at.get(chain):
                self.mentions.append(EventMention(self.key, self.open_at[chain].pop(), end, chain))

    def build(self) -> ConllDoc:
        return ConllDoc(self.key, "".join(self.pieces), tuple(self.mentions))


def parse_conll(lines: Iterable[str]) -> list[ConllDoc]:
    """Documents of CoNLL lines (`doc_key sent_id token_id token chains`), in order.

    The chain column is the last one; `(ID`, `ID)` and `(ID)` open and close mentions,
    several separated by `|`. Only event chains are kept.
    """
    builders: dict[str, _Builder] = {}
    for line in lines:
        fields = line.rstrip("\r\n").split("\t")
        if line.startswith("#") or len(fields) < 5:
            continue
        key = fields[0]
        # A few rows carry an empty extra column after the token: the chains stay last.
        token = " ".join(f for f in fields[3:-1] if f)
        builders.setdefault(key, _Builder(key)).add(fields[1], token, fields[-1])
    return [b.build() for b in builders.values()]


def _conll_texts(path: Path) -> Iterator[str]:
    """Texts of the CoNLL files in a `.tar.gz` (members may be `.conll.gz`) or a file."""
    if path.name.endswith((".tar.gz", ".tgz", ".tar")):
        with tarfile.open(path) as archive:
            for member in sorted(archive.getmembers(), key=lambda m: m.name):
                name = Path(member.name).name
                if not member.isfile() or name.startswith("."):
                    continue
                if not name.endswith((".conll", ".conll.gz")):
                    continue
                raw = archive.extractfile(member)
                if raw is not None:
                    data = raw.read()
                    yield (gzip.decompress(data) if name.endswith(".gz") else data).decode("utf-8")
    else:
        with open_maybe_gz(path) as raw:
            yield raw.read().decode("utf-8")


def load_conll(path: Path) -> list[ConllDoc]:
    """Documents of an ECB+ CoNLL archive or file."""
    return [doc for text in _conll_texts(path) for doc in parse_conll(io.StringIO(text))]


def document_clusters(docs: Sequence[ConllDoc]) -> dict[str, str]:
    """Gold cluster of each document with an event mention: documents sharing an event
    chain are joined, transitively (union-find over documents and chains)."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for doc in docs:
        for mention in doc.mentions:
            parent[root("doc:" + doc.key)] = root("chain:" + mention.chain)
    roots = {d.key: root("doc:" + d.key) for d in docs if d.mentions}
    # Name each cluster by its first document, which reads better than a chain id.
    names: dict[str, str] = {}
    for key, found in roots.items():
        names.setdefault(found, key)
    return {key: names[found] for key, found in roots.items()}


def mention_clusters(docs: Sequence[ConllDoc]) -> dict[str, str]:
    """Gold cluster (chain id) of each event mention, keyed `doc#index`."""
    return {f"{d.key}#{i}": m.chain for d in docs for i, m in enumerate(d.mentions)}


def cluster_events(records: Records) -> dict[tuple[str, str], str]:
    """Each (article key, event id) alone: the baseline without event resolution."""
    return {(k, e.id): f"{k}#{e.id}" for k, r in records.items() if r for e in r.events}


def predictions_from(records: Records) -> dict[str, str]:
    """Predicted cluster (story) of each article key, through the story stage."""
    return run_stories(records).clusters


def mention_predictions(
    docs: Sequence[ConllDoc], records: Records, resolved: Mapping[tuple[str, str], str]
) -> dict[str, str]:
    """Predicted cluster (resolved event) of each gold event mention (`doc#index`) whose
    span a pipeline event trigger overlaps (one to one); unmatched mentions are left out
    (singletons)."""
    clusters = {k: resolved.get(k, f"{k[0]}#{k[1]}") for k in cluster_events(records)}
    found: dict[str, str] = {}
    for doc in docs:
        found_records = records.get(doc.key)
        events = found_records.events if found_records else ()
        gold_spans = [(m.start, m.end) for m in doc.mentions]
        triggers = [(e.trigger.start, e.trigger.end) for e in events]
        for i, j in match_spans(gold_spans, triggers, strict=False):
            found[f"{doc.key}#{i}"] = clusters[(doc.key, events[j].id)]
    return found


def score(gold: Mapping[str, str], predicted: Mapping[str, str]) -> dict[str, float | None]:
    """B-cubed and pairwise precision, recall and F1 over the gold items."""
    # metrics.Clustering is Mapping[Hashable, Hashable], invariant in its key type.
    g, p = gold, predicted
    out: dict[str, float | None] = {f"bcubed_{k}": v for k, v in bcubed(g, p).items()}
    return out | {f"pairwise_{k}": v for k, v in pairwise(g, p).items()}


def split_keys(gold: Mapping[str, str]) -> dict[str, list[str]]:
    """Keys of the dev split and of the held-out split (sha1 of the cluster id % 4 == 0)."""
    parts: dict[str, list[str]] = {"dev": [], "heldout": []}
    for key, cluster in gold.items():
        held = int(hashlib.sha1(cluster.encode("utf-8")).hexdigest(), 16) % 4 == 0
        parts["heldout" if held else "dev"].append(key)
    return parts


def incident_figures(
    docs: Sequence[GvaDoc], incidents: Mapping[str, Mapping[str, int]], stories: StoryRun
) -> dict[str, float | None]:
    """Killed / injured / arrested of each gold incident read from the predicted story
    holding most of its articles (ties: the story of its first article), per split too."""
    members: dict[str, list[str]] = {}
    for d in docs:
        if d.incident_id in incidents:
            members.setdefault(d.incident_id, []).append(d.key)
    out: dict[str, float | None] = {}
    held = split_keys({i: i for i in members})
    for part, chosen in (("", list(members)), ("dev_", held["dev"]), ("heldout_", held["heldout"])):
        gold, predicted = [], []
        for incident in chosen:
            votes: dict[str, int] = {}
            for key in members[incident]:
                votes[stories.clusters[key]] = votes.get(stories.clusters[key], 0) + 1
            story = max(votes, key=lambda s: votes[s])  # first of the most voted
            gold.append(dict(incidents[incident]))
            predicted.append(stories.figures.get(story, {}))
        found = figure_score(gold, predicted)
        out |= {f"gva_story_{part}{k}": v for k, v in found.items() if k.endswith("_accuracy")}
    return out


def _prefixed(prefix: str, metrics: Mapping[str, float | None]) -> dict[str, float | None]:
    return {f"{prefix}_{k}": v for k, v in metrics.items()}


def _misses(
    prefix: str, gold: Mapping[str, str], predicted: Mapping[str, str], texts: Mapping[str, str]
) -> Iterator[dict[str, Any]]:
    """Gold clusters that are not exactly one predicted cluster."""
    members: dict[str, list[str]] = {}
    for key, cluster in gold.items():
        members.setdefault(cluster, []).append(key)
    predicted_members: dict[str, set[str]] = {}
    for key in gold:
        predicted_members.setdefault(predicted.get(key, key), set()).add(key)
    for cluster, keys in members.items():
        groups = {predicted.get(k, k) for k in keys}
        if len(groups) == 1 and predicted_members[groups.pop()] == set(keys):
            continue
        split: dict[str, list[str]] = {}
        for key in keys:
            split.setdefault(predicted.get(key, key), []).append(key)
        yield {
            "id": f"{prefix}:{cluster}",
            "text": " ".join(texts[keys[0]][:200].split()),
            "gold": keys,
            "predicted": list(split.values()),
        }


@timed
def run(path: Path, limit: int | None, errors: int, kb: KnowledgeBase | None = None) -> TaskReport:
    report = TaskReport(NAME, str(path))
    gva_misses: list[dict[str, Any]] = []
    ecb_misses: list[dict[str, Any]] = []

    docs, incidents = load_gva(find_files(path, "gva", ("*.jsonl", "*.jsonl.gz")))
    docs = list(limited(docs, limit))
    if docs:
        results = dict(predict(((d.key, d.text, d.dct) for d in docs), kb=kb))
        gold = {d.key: d.incident_id for d in docs}
        stories = run_stories(results, from_scratch=True)
        reverse = run_stories(results, order=list(reversed(list(results))))
        predicted = stories.clusters
        report.metrics |= _prefixed("gva", score(gold, predicted))
        for part, keys in split_keys(gold).items():
            found = score({k: gold[k] for k in keys}, {k: predicted[k] for k in keys})
            report.metrics |= _prefixed(f"gva_{part}", found)
        report.metrics["gva_order_agreement_bcubed_f1"] = agreement(predicted, reverse.clusters)
        report.metrics["gva_scratch_agreement_bcubed_f1"] = agreement(
            predicted, stories.from_scratch or {}
        )
        report.metrics |= incident_figures(docs, incidents, stories)
        report.counts |= {
            "gva_articles": len(docs),
            "gva_incidents": len(set(gold.values())),
            "gva_predicted_clusters": len({predicted[k] for k in gold}),
            "gva_rejected": sum(1 for r in results.values() if r is None),
        }
        gva_misses = list(_misses("gva", gold, predicted, {d.key: d.text for d in docs}))

    files = find_files(path, "ecbplus", ("*.tar.gz", "*.conll", "*.conll.gz"))
    conll = list(limited([d for f in files for d in load_conll(f)], limit))
    with_events = [d for d in conll if d.mentions]
    if conll:
        results = dict(predict(((d.key, d.text, None) for d in with_events), kb=kb))
        gold = document_clusters(with_events)
        stories = run_stories(results)
        predicted = stories.clusters
        gold_mentions = mention_clusters(with_events)
        matched = mention_predictions(with_events, results, stories.events)
        report.metrics |= _prefixed("ecbplus_docs", score(gold, predicted))
        report.metrics |= _prefixed("ecbplus_mentions", score(gold_mentions, matched))
        report.counts |= {
            "ecbplus_documents": len(conll),
            "ecbplus_documents_without_events": len(conll) - len(with_events),
            "ecbplus_doc_clusters": len(set(gold.values())),
            "ecbplus_predicted_doc_clusters": len({predicted[k] for k in gold}),
            "ecbplus_event_mentions": len(gold_mentions),
            "ecbplus_event_chains": len(set(gold_mentions.values())),
            "ecbplus_mentions_matched": len(matched),
        }
        texts = {d.key: d.text for d in with_events}
        ecb_misses = list(_misses("ecbplus", gold, predicted, texts))

    if report.counts:
        report.notes.append(
            "Predicted clusters are the story stage's stories (articles) and resolved events "
            "(mentions), ingested into a temporary store in batches of 64 as `eventscope "
            "ingest` does. gva_dev_* / gva_heldout_* split the incidents by sha1(incident id) "
            "% 4 (0: held out, never read while tuning). order_agreement: B-cubed F1 between "
            "the stories of file order and reversed order; scratch_agreement: incremental "
            "against `resolve --from-scratch`. story_* figures: each incident's killed / "
            "injured / arrested read from the predicted story holding most of its articles. "
            "ECB+ documents are joined when they share an event chain; mentions match events "
            "by trigger overlap."
        )
        # Alternate the two data sets so that both show their misses.
        mixed = [m for pair in zip_longest(gva_misses, ecb_misses) for m in pair if m]
        report.errors = mixed[: max(0, errors)]
    return report


TASK = Task(NAME, "Cross-report clustering of GVA incidents and ECB+ event chains", run)
