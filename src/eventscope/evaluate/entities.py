"""entities: named-entity mentions on MEANTIME (CoNLL, en/es) and factRuEval-2016 (ru).

MEANTIME `meantime/<lang>/meantime.conll.gz` rows are `doc_key sent_id token_id token
chains`; a chain id ends in its class (`cross_intra_ORG3715...`). PER, ORG and LOC are
scored; PRO (products), FIN (financial) and MIX entities are counted, not scored; OTH,
SPE and GRA chains are events and ignored. The text is rebuilt from the tokens: one space
between tokens, one newline between sentences.

factRuEval-2016 `*.tar.gz` holds per document `.txt`, `.spans` (`id type start length
...`) and `.objects` (`id type span_id...`). A mention runs from its first to its last
name span: descriptor, job and geo_adj spans weigh nothing in the official scorer, and
mentions made only of them are not scored. Person, Org and Location map to PER, ORG and
LOC; a LocOrg mention matches ORG or LOC, and a missed one counts under LOC.

Predicted mentions are Actor mentions typed by their actor (person -> PER, organization
and group -> ORG, country -> LOC) and Place mentions (LOC).
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import tarfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventscope.kb.knowledge import KnowledgeBase
from eventscope.model import ArticleRecords

from .base import Task, TaskReport, find_files, open_maybe_gz, predict, timed
from .metrics import overlaps, prf

log = logging.getLogger(__name__)

NAME = "entities"
TYPES = ("PER", "ORG", "LOC")
MATCHES = ("exact", "overlap")

MEANTIME_TYPES = {"PER": ("PER",), "ORG": ("ORG",), "LOC": ("LOC",)}
MEANTIME_UNSCORED = frozenset({"PRO", "FIN", "MIX"})
# The first type is where a missed mention is counted (LocOrg is mostly a country name).
FACTRU_TYPES = {
    "Person": ("PER",),
    "Org": ("ORG",),
    "Organization": ("ORG",),
    "Location": ("LOC",),
    "LocOrg": ("LOC", "ORG"),
}
FACTRU_NAME_SPANS = frozenset({"name", "surname", "patronymic", "nickname", "org_name", "loc_name"})
ACTOR_TYPES = {"person": "PER", "organization": "ORG", "group": "ORG", "country": "LOC"}

Predicted = tuple[int, int, str]  # start, end, type


@dataclass(frozen=True, slots=True)
class GoldMention:
    """A gold entity mention: offsets into the document text and the types it matches."""

    start: int
    end: int
    types: tuple[str, ...]  # our types; a miss counts under the first
    is_named: bool = True


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One gold document with its scored mentions."""

    corpus: str
    key: str
    text: str
    mentions: tuple[GoldMention, ...]
    unscored: int = 0  # gold entity mentions of classes we do not predict
    has_nominals: bool = False  # gold also marks nominal mentions ("the company")


# --- MEANTIME CoNLL ---------------------------------------------------------------------

_CHAIN = re.compile(r"^(\()?([^()]+?)(\))?$")
_CLASS = re.compile(r"([A-Z]+)\d*$")


def meantime_corpus(path: Path) -> str:
    """Corpus name from the language folder: `meantime/en/x.conll.gz` -> `meantime-en`."""
    lang = path.parent.name.lower()
    return f"meantime-{lang}" if re.fullmatch(r"[a-z]{2}", lang) else "meantime"


def meantime_doc(corpus: str, key: str, rows: Sequence[tuple[str, str, str]]) -> GoldDoc:
    """A document from its (sent_id, token, chains) rows."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    opened: dict[str, list[int]] = {}
    found: set[tuple[int, int, str]] = set()  # first token, last token, class
    position, sentence = 0, None
    for index, (sent_id, token, chains) in enumerate(rows):
        if sentence is not None:
            parts.append(" " if sent_id == sentence else "\n")
            position += 1
        sentence = sent_id
        parts.append(token)
        offsets.append((position, position + len(token)))
        position += len(token)
        for item in chains.split("|"):
            match = _CHAIN.match(item.strip())
            if not match or match[2] == "-":
                continue
            chain = match[2]
            if match[1]:
                opened.setdefault(chain, []).append(index)
            if match[3] and opened.get(chain):
                kind = _CLASS.search(chain)
                found.add((opened[chain].pop(), index, kind[1] if kind else ""))
    mentions = {
        GoldMention(
            offsets[first][0],
            offsets[last][1],
            MEANTIME_TYPES[kind],
            # Proxy for a name: a capitalised token ("Airbus", not "the company").
            is_named=any(rows[i][1][:1].isupper() for i in range(first, last + 1)),
        )
        for first, last, kind in found
        if kind in MEANTIME_TYPES
    }
    return GoldDoc(
        corpus,
        f"{corpus}:{key}",
        "".join(parts),
        tuple(sorted(mentions, key=lambda m: (m.start, m.end, m.types))),
        unscored=sum(1 for *_, kind in found if kind in MEANTIME_UNSCORED),
        has_nominals=True,
    )


def load_meantime(path: Path) -> Iterator[GoldDoc]:
    """Documents of a MEANTIME CoNLL file (`.gz` too), in file order."""
    corpus = meantime_corpus(path)

    def rows() -> Iterator[tuple[str, str, str, str]]:
        with open_maybe_gz(path) as raw:
            for line in io.TextIOWrapper(raw, encoding="utf-8"):
                fields = line.rstrip("\r\n").split("\t")
                if line.startswith("#") or len(fields) < 4:
                    continue
                chains = "|".join(fields[4:]) if len(fields) > 4 else "-"
                yield fields[0], fields[1], fields[3], chains

    for key, group in itertools.groupby(rows(), key=lambda row: row[0]):
        yield meantime_doc(corpus, key, [(sent, token, chains) for _, sent, token, chains in group])


# --- factRuEval-2016 ----------------------------------------------------------------------


def factru_doc(key: str, text: str, spans: str, objects: str) -> GoldDoc:
    """A document from the contents of its `.txt`, `.spans` and `.objects` files."""
    by_id: dict[str, tuple[str, int, int]] = {}
    for line in spans.splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) < 4:
            continue
        # The data puts the id first; the README lists the type first.
        span_id, kind = (fields[0], fields[1]) if fields[0].isdigit() else (fields[1], fields[0])
        start = int(fields[2])
        by_id[span_id] = (kind, start, start + int(fields[3]))
    mentions: set[GoldMention] = set()
    unscored = 0
    for line in objects.splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) < 3:
            continue
        types = FACTRU_TYPES.get(fields[1])
        names = [by_id[s] for s in fields[2:] if by_id.get(s, ("",))[0] in FACTRU_NAME_SPANS]
        if types is None or not names:
            unscored += 1
            continue
        mentions.add(GoldMention(min(s for _, s, _ in names), max(e for *_, e in names), types))
    ordered = tuple(sorted(mentions, key=lambda m: (m.start, m.end, m.types)))
    return GoldDoc("factrueval", f"factrueval:{key}", text, ordered, unscored=unscored)


def factru_docs(tar: tarfile.TarFile) -> Iterator[GoldDoc]:
    """Documents of an open factRuEval-2016 archive: those with `.txt`, `.spans`, `.objects`."""
    members: dict[str, dict[str, tarfile.TarInfo]] = {}
    for member in tar.getmembers():
        stem, _, ext = member.name.rpartition(".")
        if member.isfile() and ext in ("txt", "spans", "objects"):
            members.setdefault(stem, {})[ext] = member

    def read(member: tarfile.TarInfo) -> str:
        stream = tar.extractfile(member)
        return stream.read().decode("utf-8") if stream else ""

    for stem, parts in sorted(members.items()):
        if len(parts) == 3:
            text = read(parts["txt"])
            if text.strip():
                key = stem.rpartition("/")[2]
                yield factru_doc(key, text, read(parts["spans"]), read(parts["objects"]))


def load_factrueval(path: Path) -> Iterator[GoldDoc]:
    """Documents of a factRuEval-2016 `.tar.gz`; other archives yield nothing."""
    try:
        with tarfile.open(path, "r:*") as tar:
            yield from factru_docs(tar)
    except (tarfile.TarError, OSError, EOFError) as exc:
        # The folder may hold other archives (or a damaged one): skip it, keep scoring.
        log.warning("skipping %s: %s", path, exc)


def load(path: Path) -> Iterator[GoldDoc]:
    """Every gold document under `path` (eval root, a corpus folder or one file)."""
    for conll in find_files(path, "meantime", ("*.conll", "*.conll.gz")):
        yield from load_meantime(conll)
    for archive in find_files(path, "factrueval2016", ("*.tar.gz", "*.tgz")):
        yield from load_factrueval(archive)


# --- prediction and scoring -----------------------------------------------------------------


def predictions_from(records: ArticleRecords | None) -> list[Predicted]:
    """Typed mention spans: actor mentions by actor type, place mentions as LOC."""
    if records is None:
        return []
    found: set[Predicted] = set()
    for actor in records.actors:
        kind = ACTOR_TYPES.get(actor.type or "")
        if kind:
            found.update((m.span.start, m.span.end, kind) for m in actor.mentions)
    for place in records.places:
        found.update((m.span.start, m.span.end, "LOC") for m in place.mentions)
    return sorted(found)


def match_typed(
    gold: Sequence[GoldMention], predicted: Sequence[Predicted], *, strict: bool
) -> dict[int, int]:
    """One-to-one gold index -> predicted index: same span (strict) or overlapping, with a
    type the gold mention allows; largest overlap first, so each span is used once."""
    candidates = []
    for i, g in enumerate(gold):
        for j, (start, end, kind) in enumerate(predicted):
            if kind not in g.types:
                continue
            span = (start, end)
            hit = (g.start, g.end) == span if strict else overlaps((g.start, g.end), span)
            if hit:
                candidates.append((-(min(g.end, end) - max(g.start, start)), i, j))
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in sorted(candidates):
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    return pairs


def tally(
    docs: Sequence[GoldDoc],
    predicted: Sequence[Sequence[Predicted]],
    *,
    strict: bool,
    named_only: bool = False,
) -> dict[str, list[int]]:
    """[tp, fp, fn] per type. With `named_only`, unnamed gold mentions are left out and a
    prediction matching one counts neither way (it found a mention, just not a name)."""
    counts = {kind: [0, 0, 0] for kind in TYPES}
    for doc, preds in zip(docs, predicted, strict=True):
        pairs = match_typed(doc.mentions, preds, strict=strict)
        for i, j in pairs.items():
            if doc.mentions[i].is_named or not named_only:
                counts[preds[j][2]][0] += 1
        used = set(pairs.values())
        for j, (_, _, kind) in enumerate(preds):
            if j not in used:
                counts[kind][1] += 1
        for i, g in enumerate(doc.mentions):
            if i not in pairs and (g.is_named or not named_only):
                counts[g.types[0]][2] += 1
    return counts


def corpora(docs: Iterable[GoldDoc]) -> list[str]:
    """Corpus names in order of first appearance."""
    return list(dict.fromkeys(doc.corpus for doc in docs))


def score(
    gold: Sequence[GoldDoc], predicted: Sequence[Sequence[Predicted]]
) -> dict[str, float | None]:
    """P/R/F1 per corpus, gold view and match, micro and per type:
    `<corpus>.<all|named>.<exact|overlap>.<micro|per|org|loc>.<precision|recall|f1>`.
    The `named` view (micro only) is given for corpora that also mark nominal mentions."""
    metrics: dict[str, float | None] = {}
    for corpus in corpora(gold):
        chosen = [i for i, doc in enumerate(gold) if doc.corpus == corpus]
        docs = [gold[i] for i in chosen]
        preds = [predicted[i] for i in chosen]
        views = ("all", "named") if any(doc.has_nominals for doc in docs) else ("all",)
        for view in views:
            for match in MATCHES:
                counts = tally(docs, preds, strict=match == "exact", named_only=view == "named")
                groups = {"micro": [sum(c[k] for c in counts.values()) for k in range(3)]}
                if view == "all":
                    groups.update({kind.lower(): counts[kind] for kind in TYPES})
                for group, (tp, fp, fn) in groups.items():
                    for name, value in prf(tp, fp, fn).items():
                        metrics[f"{corpus}.{view}.{match}.{group}.{name}"] = value
    return metrics


def window(text: str, start: int, end: int, *, width: int = 80) -> str:
    """The text around [start, end), within its line (a sentence in MEANTIME)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return text[max(line_start, start - width) : min(line_end, end + width)]


def misses(doc: GoldDoc, preds: Sequence[Predicted]) -> list[dict[str, Any]]:
    """Exact-match misses of one document, by position: gold not found, predictions wrong.
    Each shows what overlaps it on the other side."""
    pairs = match_typed(doc.mentions, preds, strict=True)
    used = set(pairs.values())
    gold = [(g.start, g.end, "/".join(g.types)) for g in doc.mentions]

    def shown(spans: Iterable[tuple[int, int, str]]) -> list[dict[str, Any]] | None:
        found = [{"text": doc.text[s:e], "type": k, "start": s} for s, e, k in spans]
        return found or None

    def near(side: Sequence[tuple[int, int, str]], s: int, e: int) -> list[tuple[int, int, str]]:
        return [x for x in side if overlaps((x[0], x[1]), (s, e))]

    found = [
        (g, shown([g]), shown(near(preds, *g[:2]))) for i, g in enumerate(gold) if i not in pairs
    ]
    found += [
        (p, shown(near(gold, *p[:2])), shown([p])) for j, p in enumerate(preds) if j not in used
    ]
    return [
        {"id": doc.key, "text": window(doc.text, s, e), "gold": g, "predicted": p}
        for (s, e, _), g, p in sorted(found, key=lambda miss: miss[0][:2])
    ]


@timed
def run(path: Path, limit: int | None, errors: int, kb: KnowledgeBase | None = None) -> TaskReport:
    """Score the documents under `path`; `limit` caps them in reading order (MEANTIME files
    by name, then factRuEval archives)."""
    report = TaskReport(NAME, str(path))
    docs = list(itertools.islice(load(path), None if limit is None else max(0, limit)))
    if not docs:
        return report
    results = list(predict(((doc.key, doc.text, None) for doc in docs), kb=kb))
    predicted = [predictions_from(records) for _, records in results]
    report.metrics = score(docs, predicted)
    overlap = tally(docs, predicted, strict=False)
    report.counts = {
        "documents": len(docs),
        "rejected": sum(1 for _, records in results if records is None),
        "gold_mentions": sum(len(doc.mentions) for doc in docs),
        "gold_named_mentions": sum(m.is_named for doc in docs for m in doc.mentions),
        "gold_unscored_mentions": sum(doc.unscored for doc in docs),
        "predicted_mentions": sum(len(p) for p in predicted),
        "gold_with_prediction": sum(c[0] for c in overlap.values()),
    }
    for corpus in corpora(docs):
        chosen = [i for i, doc in enumerate(docs) if doc.corpus == corpus]
        report.counts[f"{corpus}.documents"] = len(chosen)
        report.counts[f"{corpus}.gold_mentions"] = sum(len(docs[i].mentions) for i in chosen)
        report.counts[f"{corpus}.predicted_mentions"] = sum(len(predicted[i]) for i in chosen)
    report.notes.append(
        "Gold PER/ORG/LOC mentions (factRuEval Person/Org/Location, LocOrg matching ORG or "
        "LOC) against actor mentions (person -> PER, organization/group -> ORG, country -> "
        "LOC) and place mentions (LOC), one-to-one by exact span or overlap, same type; "
        "`named` = MEANTIME gold mentions with a capitalised token (a proxy for names), "
        "`all` includes nominals; PRO/FIN, Project/Facility and descriptor-only mentions "
        "are not scored."
    )
    silent = [c for c in corpora(docs) if not report.counts[f"{c}.predicted_mentions"]]
    silent += [k for k in TYPES if not any(p[2] == k for preds in predicted for p in preds)]
    if silent:
        report.notes.append(f"No predicted mentions yet for: {', '.join(silent)}.")
    report.collect_errors((misses(d, p) for d, p in zip(docs, predicted, strict=True)), errors)
    return report


TASK = Task(NAME, "Named-entity mentions (PER/ORG/LOC) on MEANTIME and factRuEval-2016", run)
