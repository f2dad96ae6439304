"""geoparse task: the four XML formats, realignment of gold spans, scoring, the run."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from eventscope.evaluate import geoparsing as task
from eventscope.evaluate.geoparsing import GoldToponym, PredictedToponym
from eventscope.model import Article, ArticleRecords, Evidence, Mention, Place, Span

from .conftest import write

# Invented reports; coordinates are rough but real places.
LOCAL = "Floods closed roads in Dayton on Monday. Officials in Ohio said more rain is due."
VIRUS = "Health workers in Lagos traced new cases to a market in Ibadan, Nigeria."
TRNEWS = "Talks in Geneva ended without a deal, diplomats from Norway said."
GWN = "Crowds filled the square in Porto before the match in Braga."


def at(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def lgl_xml() -> str:
    (s1, e1), (s2, e2) = at(LOCAL, "Dayton"), at(LOCAL, "Ohio")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="1">
    <title>Floods</title>
    <text><![CDATA[{LOCAL}]]></text>
    <toponyms>
      <toponym><start>{s1}</start><end>{e1}</end><phrase>Dayton</phrase>
        <gaztag geonameid="4509884"><name>Dayton</name><fclass>P</fclass><fcode>PPLA2</fcode>
          <lat>39.7589</lat><lon>-84.1916</lon>
          <country geonameid="6252001">United States</country>
          <admin1 geonameid="5165418">Ohio</admin1></gaztag></toponym>
      <toponym><start>{s2}</start><end>{e2}</end><phrase>Ohio</phrase></toponym>
    </toponyms>
  </article>
</articles>
"""


def geovirus_xml() -> str:
    # GeoVirus offsets are one character late.
    spans = [(name, at(VIRUS, name)) for name in ("Lagos", "Ibadan", "Nigeria")]
    coords = {"Lagos": (6.45, 3.39), "Ibadan": (7.38, 3.9), "Nigeria": (9.08, 8.68)}
    locations = "".join(
        f"<location><name>{n}</name><start>{s + 1}</start><end>{e + 1}</end>"
        f"<lat>{coords[n][0]}</lat><lon>{coords[n][1]}</lon>"
        f"<page>https://en.wikipedia.org/wiki/{n}</page></location>"
        for n, (s, e) in spans
    )
    return (
        f"<articles><article><source>https://example.org/a</source><text>{VIRUS}</text>"
        f"<locations>{locations}</locations></article></articles>"
    )


def trnews_xml() -> str:
    # TR-News offsets drift by a few characters: here three early.
    (s1, e1), (s2, e2) = at(TRNEWS, "Geneva"), at(TRNEWS, "Norway")
    return f"""<articles><article docid="7"><dltime>2017-01-02</dltime>
<text><![CDATA[{TRNEWS}]]></text><toponyms>
<toponym><phrase>Geneva</phrase><start>{s1 - 3}</start><end>{e1 - 3}</end>
<gaztag geonameid="2660646"><name>Geneva</name><lat>46.20222</lat><lon>6.14569</lon>
<country geonameid="2658434">Switzerland</country></gaztag></toponym>
<toponym><phrase>Norwegian</phrase><start>{s2}</start><end>{e2}</end>
<gaztag geonameid="3144096"><name>Norway</name><lat>62</lat><lon>10</lon></gaztag></toponym>
</toponyms></article></articles>"""


def gwn_xml() -> str:
    (s1, e1), (s2, e2), (s3, e3) = at(GWN, "square"), at(GWN, "Porto"), at(GWN, "Braga")
    return f"""<?xml version="1.0" ?>
<articles><article file="0"><title>Match</title><text>{GWN}</text><toponyms>
<toponym><extractedName>square</extractedName><normalisedName/><type>Literal_Expression</type>
<modifierType/><nonLocational>No</nonLocational><start>{s1}</start><end>{e1}</end></toponym>
<toponym><extractedName>Porto</extractedName><normalisedName>Porto</normalisedName>
<type>Literal</type><modifierType/><nonLocational>No</nonLocational><start>{s2}</start>
<end>{e2}</end><geonamesID>2735943</geonamesID><latitude>41.14961</latitude>
<longitude>-8.61099</longitude></toponym>
<toponym><extractedName>Braga</extractedName><normalisedName/><type>Literal</type>
<modifierType/><nonLocational>No</nonLocational><start>{s3}</start><end>{e3}</end>
<geonamesID/><latitude>41.55032</latitude><longitude>-8.42005</longitude></toponym>
</toponyms></article></articles>"""


def test_loader_reads_lgl_with_country_from_its_geonames_id(tmp_path: Path) -> None:
    path = write(tmp_path / "local.xml", lgl_xml())
    [article] = task.load(path)
    assert article.corpus == "local" and article.text == LOCAL
    dayton, ohio = article.toponyms
    assert LOCAL[dayton.start : dayton.end] == "Dayton"
    assert (dayton.lat, dayton.lon, dayton.geonameid) == (39.7589, -84.1916, 4509884)
    assert dayton.country == "US"
    # Ohio has no gaztag: counted for recognition, no coordinates.
    assert ohio.phrase == "Ohio" and ohio.lat is None and ohio.geonameid is None
    assert article.realigned == 0


def test_loader_realigns_geovirus_gzipped(tmp_path: Path) -> None:
    path = write(tmp_path / "GeoVirus.xml.gz", gzip.compress(geovirus_xml().encode()))
    [article] = task.load(path)
    assert task.corpus_name(path) == "geovirus"
    assert [VIRUS[t.start : t.end] for t in article.toponyms] == ["Lagos", "Ibadan", "Nigeria"]
    assert article.realigned == 3 and article.unaligned == 0
    assert article.toponyms[0].geonameid is None and article.toponyms[0].lat == 6.45


def test_loader_reads_trnews_drift_and_keeps_unfound_phrases(tmp_path: Path) -> None:
    [article] = task.load(write(tmp_path / "TR-News.xml", trnews_xml()))
    geneva, norway = article.toponyms
    assert TRNEWS[geneva.start : geneva.end] == "Geneva" and geneva.country == "CH"
    # "Norwegian" is not in the text near its offsets: kept as given, counted.
    assert (norway.start, norway.end) == at(TRNEWS, "Norway") and norway.lat == 62.0
    assert (article.realigned, article.unaligned) == (1, 1)


def test_loader_reads_geowebnews_and_leaves_out_expressions(tmp_path: Path) -> None:
    [article] = task.load(write(tmp_path / "GWN.xml", gwn_xml()))
    assert [t.phrase for t in article.toponyms] == ["Porto", "Braga"]
    assert article.expressions == 1
    porto, braga = article.toponyms
    assert porto.geonameid == 2735943 and braga.geonameid is None and braga.lat == 41.55032


def test_loader_ignores_other_xml(tmp_path: Path) -> None:
    feed = "<rss><channel><item><title>x</title></item></channel></rss>"
    assert task.load(write(tmp_path / "feed.xml", feed)) == []
    assert task.load(write(tmp_path / "broken.xml", "<articles><article>")) == []


def test_realign() -> None:
    text = "rain in Lagos and Lagos"
    assert task.realign(text, 8, 13, "Lagos") == (8, 13)
    assert task.realign(text, 9, 14, "Lagos") == (8, 13)  # nearest, not the later one
    assert task.realign(text, 5, 10, "lagos") == (8, 13)  # case folded
    assert task.realign(text, 8, 13, "Abuja") is None


def as_predicted(gold: GoldToponym) -> PredictedToponym:
    return PredictedToponym(
        gold.start, gold.end, gold.phrase, gold.lat, gold.lon, gold.geonameid, gold.country
    )


GOLD = [
    GoldToponym(0, 5, "Alpha", 0.0, 0.0, 1, "FR"),
    GoldToponym(10, 15, "Bravo", 10.0, 10.0, 2, None),
    GoldToponym(20, 25, "Charl", None, None, None, None),
]


def test_score_gold_as_prediction_is_perfect() -> None:
    scores = task.score([GOLD], [[as_predicted(g) for g in GOLD]])
    for name in ("recognition_f1", "strict_f1", "acc_161km", "geonameid_accuracy"):
        assert scores[name] == 1.0
    assert scores["country_accuracy"] == 1.0 and scores["found_within_161km"] == 1.0
    assert scores["mean_error_km"] == 0.0 and scores["median_error_km"] == 0.0


def test_score_empty_prediction_is_zero() -> None:
    scores = task.score([GOLD], [[]])
    assert scores["recognition_precision"] == scores["recognition_recall"] == 0.0
    assert scores["recognition_f1"] == scores["strict_f1"] == 0.0
    assert scores["found_within_161km"] == 0.0
    # Nothing matched, so resolution is undefined rather than zero.
    assert scores["acc_161km"] is None and scores["mean_error_km"] is None


MIXED = [
    PredictedToponym(0, 5, "Alpha", 0.0, 1.0, 1, "fr"),  # exact; 1 degree = 111.19 km
    PredictedToponym(12, 18, "avo xx", 20.0, 10.0, 3, None),  # overlaps; 1111.95 km off
    PredictedToponym(30, 35, "Delta", 5.0, 5.0, 4, "DE"),  # spurious
]


def test_score_mixed_case() -> None:
    scores = task.score([GOLD], [MIXED])
    # overlap: 2 matched of 3 gold, 3 predicted -> P = R = F1 = 2/3
    assert scores["recognition_precision"] == pytest.approx(2 / 3)
    assert scores["recognition_f1"] == pytest.approx(2 / 3)
    # strict: only Alpha -> 1/3
    assert scores["strict_f1"] == pytest.approx(1 / 3)
    # matched with coordinates: Alpha (111 km, right) and Bravo (1112 km, wrong) -> 1/2
    assert scores["acc_161km"] == 0.5
    # ids: Alpha 1 = 1, Bravo 2 != 3 -> 1/2; country: only Alpha has one, FR = fr -> 1
    assert scores["geonameid_accuracy"] == 0.5 and scores["country_accuracy"] == 1.0
    # mean = median of (111.19 + 1111.95) / 2 = 611.57
    assert scores["mean_error_km"] == pytest.approx(611.57, abs=0.05)
    assert scores["median_error_km"] == pytest.approx(611.57, abs=0.05)
    # 1 right of the 2 gold toponyms with coordinates
    assert scores["found_within_161km"] == 0.5


def test_misses_of_the_mixed_case() -> None:
    article = task.GoldArticle("k", "c", "x" * 40, tuple(GOLD))
    found = task.misses(article, MIXED)
    # Alpha is right; Bravo is placed too far, Charl is missed, Delta is spurious
    assert [(m["gold"] or {}).get("phrase") for m in found] == ["Bravo", "Charl", None]
    assert found[0]["predicted"]["geonameid"] == 3 and found[1]["predicted"] is None
    assert found[2]["predicted"]["text"] == "Delta" and len(found[2]["text"]) <= 40


def test_predictions_from_every_place_mention() -> None:
    text = "Rain in Lagos. Lagos flooded."
    article = Article(id="x", text=text, published=None)
    evidence = Evidence("places.test", 0.9)
    mentions = tuple(Mention(Span.of(text, s, s + 5), evidence) for s in (8, 15))
    place = Place("p1", "Lagos", mentions, geonameid=2332459, country="NG", lat=6.45, lon=3.39)
    found = task.predictions_from(ArticleRecords(article, places=(place,)))
    assert [(p.start, p.end, p.country, p.lat) for p in found] == [
        (8, 13, "NG", 6.45),
        (15, 20, "NG", 6.45),
    ]
    assert task.predictions_from(None) == []


def test_run_on_fixture_counts(tmp_path: Path) -> None:
    folder = tmp_path / "geoparsing"
    write(folder / "local.xml", lgl_xml())
    write(folder / "GeoVirus.xml.gz", gzip.compress(geovirus_xml().encode()))
    write(folder / "gwn.xml", gwn_xml())
    report = task.TASK.run(tmp_path, None, 2)
    counts = report.counts
    assert counts["documents"] == 3 and counts["documents_rejected"] == 0
    assert counts["toponyms"] == 7 and counts["toponyms_with_coordinates"] == 6
    assert (counts["realigned"], counts["unaligned"], counts["expressions_skipped"]) == (3, 0, 1)
    assert counts["geovirus.documents"] == counts["local.documents"] == 1
    assert counts["matched"] <= counts["predicted_mentions"]
    assert "geovirus.recognition_f1" in report.metrics
    assert all(v is None or v >= 0 for v in report.metrics.values())
    assert len(report.errors) <= 2 and report.notes
    assert task.TASK.run(tmp_path / "absent", None, 2).counts == {}


def test_run_on_shared_data(shared: Path) -> None:
    report = task.TASK.run(shared / "eval", 3, 1)
    if not report.counts:
        pytest.skip("no geoparsing data under ../shared/eval")
    assert report.counts["documents"] == 3 and report.counts["toponyms"] > 0
