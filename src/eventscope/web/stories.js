// eventscope dashboard: the story views (#/stories, #/story/ID). Loaded before app.js,
// whose helpers (el, api, link, fmt, embed, go, hoverTip, view) they call when shown.
// As in app.js every string from the store goes into the page as text.
"use strict";

const STORY_KINDS = ["killed", "injured", "arrested", "missing", "displaced", "evacuated", "troops", "protesters"];

function storyFigures(figures) {
  const shown = STORY_KINDS.filter((k) => figures[k] !== undefined);
  return shown.length ? shown.map((k) => el("span", { class: "chip" }, `${k} ${figures[k]}`)) : "—";
}

async function storiesView(params) {
  const offset = Number(params.get("offset") || 0);
  const sort = params.get("sort") || "-articles";
  const f = {};
  for (const key of ["since", "until", "country", "q"]) if (params.get(key)) f[key] = params.get(key);
  const data = await api("/stories", { ...f, sort, min_articles: params.get("min_articles"), limit: PAGE, offset });
  const setSort = (key) => go("stories", { ...f, sort: sort === `-${key}` ? key : `-${key}` });
  const head = (label, key) => key
    ? el("th", { class: "sortable", onclick: () => setSort(key), title: "sort" }, label, sort.endsWith(key) ? (sort.startsWith("-") ? " ↓" : " ↑") : "")
    : el("th", {}, label);
  const rows = data.items.map((s) => el("tr", { class: "clickable", "data-story": s.id, onclick: (ev) => { if (ev.target.tagName !== "A") go("story", {}, String(s.id)); } },
    el("td", {}, link(`#/story/${s.id}`, s.title || `story ${s.id}`)),
    el("td", {}, fmt(s.first_day), s.last_day && s.last_day !== s.first_day ? ` – ${s.last_day}` : ""),
    el("td", {}, String(s.n_articles)), el("td", {}, String(s.n_sources)), el("td", {}, String(s.n_events)),
    el("td", {}, fmt(s.country)), el("td", {}, storyFigures(s.figures))));
  view.replaceChildren(
    el("h2", {}, `Stories (${data.total})`),
    el("p", { class: "muted" }, "A story is the reports of one real happening; its figures are the latest each series reached, never a sum over reports."),
    el("table", { id: "stories-table" },
      el("thead", {}, el("tr", {}, head("Story"), head("Reported", "date"), head("Reports", "articles"), head("Outlets"), head("Events", "events"), head("Country"), head("Figures (latest)"))),
      el("tbody", {}, rows)),
    pager(data.total, offset, (o) => go("stories", { ...f, sort, offset: o })));
}

// One chart per figure kind: the total's points by as-of day, one line per reporter,
// conflicts (another value the same latest day) ringed in red, superseded points faded.
function seriesSpec(series) {
  const values = series.points.map((p) => ({ ...p, reporter: p.reporter || "unattributed", day: p.as_of || p.published }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `${series.kind}${series.group ? " — " + series.group : ""}: latest ${series.latest ? series.latest.value : "—"}`,
    width: "container", height: 180, data: { values },
    layer: [
      { mark: { type: "line", interpolate: "step-after", opacity: 0.6 },
        encoding: { x: { field: "day", type: "temporal", title: null }, y: { field: "value", type: "quantitative", title: series.kind },
          color: { field: "reporter", type: "nominal", title: "reported by" } } },
      { mark: { type: "point", filled: true, size: 70 },
        encoding: { x: { field: "day", type: "temporal" }, y: { field: "value", type: "quantitative" },
          color: { field: "reporter", type: "nominal" },
          opacity: { condition: { test: "datum.status === 'superseded'", value: 0.35 }, value: 1 },
          tooltip: [{ field: "day", type: "temporal", title: "as of" }, { field: "value" }, { field: "qualifier" }, { field: "reporter" }, { field: "status" }, { field: "span", title: "text" }] } },
      { transform: [{ filter: "datum.status === 'conflict'" }], mark: { type: "point", size: 260, stroke: "#c0281e", strokeWidth: 2.5, fill: null },
        encoding: { x: { field: "day", type: "temporal" }, y: { field: "value", type: "quantitative" } } },
    ],
  };
}

function eventTimelineSpec(events) {
  const values = events.filter((e) => e.date_start).map((e) => ({ date: e.date_start, end: dayAfter(e.date_end || e.date_start), type: e.type, reports: e.n_articles, place: (e.place || {}).name || "", ref: e.id }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Its resolved events (size: reports)", width: "container", height: 40 + 18 * new Set(values.map((v) => v.type)).size,
    data: { values }, mark: { type: "circle", opacity: 0.7, cursor: "pointer" },
    encoding: {
      x: { field: "date", type: "temporal", title: null }, y: { field: "type", type: "nominal", title: null },
      size: { field: "reports", type: "quantitative", title: "reports" }, color: { field: "type", type: "nominal", legend: null },
      tooltip: [{ field: "date", type: "temporal" }, { field: "type" }, { field: "place" }, { field: "reports" }],
    },
  };
}

function claimsBlock(story) {
  const byEvent = new Map();
  for (const c of story.claims) {
    const key = c.resolved_id || "";
    if (!byEvent.has(key)) byEvent.set(key, []);
    byEvent.get(key).push(c);
  }
  const names = Object.fromEntries(story.events.map((e) => [e.id, `${e.type}${e.mode ? "/" + e.mode : ""} ${fmt(e.date)}${e.place ? " in " + e.place.name : ""}`]));
  // Events with opposing or pointed claims first (accusations, denials), then the most said.
  const weight = (claims) => claims.filter((c) => c.stance !== "claims").length * 10 + claims.length;
  const ordered = [...byEvent].sort((a, b) => weight(b[1]) - weight(a[1]));
  const blocks = [];
  for (const [key, claims] of ordered) {
    const stances = ["accuses", "denies", "confirms", "claims"].filter((s) => claims.some((c) => c.stance === s));
    blocks.push(el("div", { class: "card claims" },
      el("h4", {}, key ? link(`#/event/${encodeURIComponent(key)}`, names[key] || key) : "About the story"),
      el("div", { class: "stances" }, stances.map((s) => el("div", { class: `stance stance-${s}` }, el("h5", {}, s),
        el("ul", {}, claims.filter((c) => c.stance === s).map((c) => el("li", {},
          c.registry_id ? link(`#/actor/${c.registry_id}`, c.speaker || "?") : fmt(c.speaker), ": ",
          c.kind === "direct" ? el("q", {}, c.content) : c.content, " ",
          el("span", { class: "muted" }, `(${fmt(c.source)}, ${fmt(c.published)})`)))))))));
  }
  if (!blocks.length) return [el("p", { class: "muted" }, "No claims linked to its events.")];
  const shown = blocks.slice(0, 8);
  if (blocks.length > 8) shown.push(el("details", {}, el("summary", {}, `${blocks.length - 8} more events with claims`), blocks.slice(8)));
  return shown;
}

async function storyMap(holder, places) {
  const points = places.filter((p) => p.lat !== null && p.lon !== null);
  if (!points.length) { holder.replaceChildren(el("p", { class: "muted" }, "No places.")); return; }
  if (!world) world = await (await fetch("/vendor/world-atlas/countries-50m.json")).json();
  const countries = topojson.feature(world, world.objects.countries);
  const width = Math.min(720, holder.clientWidth || 700), height = 360;
  const focus = countriesWith(countries.features, points);
  const projection = d3.geoMercator().fitExtent([[20, 20], [width - 20, height - 20]],
    { type: "FeatureCollection", features: [...focus, ...points.map((p) => ({ type: "Feature", geometry: { type: "Point", coordinates: [p.lon, p.lat] } }))] });
  const svg = d3.create("svg").attr("width", width).attr("height", height).attr("role", "img").attr("aria-label", "map of the story's places");
  svg.append("g").selectAll("path").data(countries.features).join("path")
    .attr("class", (f) => "country" + (focus.has(f) ? " focus" : "")).attr("d", d3.geoPath(projection));
  const radius = d3.scaleSqrt().domain([0, d3.max(points, (p) => p.events) || 1]).range([3, 20]);
  svg.append("g").selectAll("circle").data(points).join("circle")
    .attr("cx", (p) => projection([p.lon, p.lat])[0]).attr("cy", (p) => projection([p.lon, p.lat])[1])
    .attr("r", (p) => radius(p.events)).attr("data-geonameid", (p) => p.geonameid)
    .each(function (p) { hoverTip(this, `${p.name} (${p.country}): ${p.events} events`); });
  holder.replaceChildren(svg.node());
}

async function storyView(id) {
  const s = await api(`/stories/${encodeURIComponent(id)}`);
  const totals = s.series.filter((x) => !x.group && STORY_KINDS.includes(x.kind));
  const parts = s.series.filter((x) => x.group);
  const answer = el("table", { id: "story-figures" },
    el("thead", {}, el("tr", {}, ["Figure", "Latest", "As of", "According to", "Range", "Reporters", "Conflicting the same day"].map((h) => el("th", {}, h)))),
    el("tbody", {}, totals.map((x) => el("tr", { "data-kind": x.kind },
      el("td", {}, x.kind), el("td", { class: "latest" }, x.latest ? `${x.latest.qualifier === "exact" ? "" : x.latest.qualifier.replace("_", " ") + " "}${x.latest.value}` : "—"),
      el("td", {}, fmt(x.latest && x.latest.as_of)), el("td", {}, x.according_to.length ? x.according_to.join(", ") : "—"),
      el("td", {}, x.min === x.max ? String(x.max) : `${x.min}–${x.max}`), el("td", {}, x.reporters.join(", ") || "—"),
      el("td", {}, x.conflicts.length ? x.conflicts.map((c) => `${c.value} (${c.reporter || "unattributed"})`).join("; ") : "—")))));
  const charts = el("div", { id: "story-charts" }, totals.map((x) => el("div", { class: "chart", "data-kind": x.kind, style: "width:100%" })));
  const timeline = el("div", { class: "chart", id: "story-timeline", style: "width:100%" });
  const mapHolder = el("div", { id: "story-map" });
  const events = [...s.events].sort((a, b) => b.n_articles - a.n_articles || (a.date_start || "").localeCompare(b.date_start || "")).slice(0, 30)
    .sort((a, b) => (a.date_start || "9999").localeCompare(b.date_start || "9999"));
  view.replaceChildren(
    el("h2", { id: "story-title" }, s.title || `Story ${s.id}`),
    el("p", { class: "muted" }, `${fmt(s.first_day)} – ${fmt(s.last_day)} · ${s.n_articles} reports from ${s.n_sources} outlets · ${s.n_events} resolved events · story ${s.id}`),
    el("h3", {}, "How many, according to whom"), answer,
    parts.length ? el("p", { class: "muted" }, "Parts (counted apart, never added to the total): ",
      parts.map((x) => el("span", { class: "chip" }, `${x.kind} — ${x.group}: ${x.latest ? x.latest.value : "—"}`))) : null,
    s.other_incidents.length ? el("p", { class: "muted" }, "Other incidents' tolls the reports recall (left out): ",
      s.other_incidents.map((p) => el("span", { class: "chip" }, `${p.kind} ${p.value} as of ${fmt(p.as_of)}`))) : null,
    charts,
    el("h3", {}, "Timeline"), timeline,
    el("p", { class: "muted" }, `The ${Math.min(30, s.events.length)} most reported of its ${s.events.length} resolved events, by date.`),
    el("table", { id: "story-events" }, el("thead", {}, el("tr", {}, ["Date", "Event", "Place", "Reports", "Outlets", "Sources disagree on"].map((h) => el("th", {}, h)))),
      el("tbody", {}, events.map((e) => el("tr", {},
        el("td", {}, fmt(e.date)), el("td", {}, link(`#/event/${encodeURIComponent(e.id)}`, `${e.type}${e.mode ? "/" + e.mode : ""}`)),
        el("td", {}, fmt(e.place && e.place.name)), el("td", {}, String(e.n_articles)), el("td", {}, String(e.n_sources)),
        el("td", {}, e.disagreements.length ? e.disagreements.map((d) => `${d.field}: ${d.values.map((v) => `${v.value} (${v.sources.join(", ")})`).join(" / ")}`).join("; ") : "—"))))),
    el("h3", {}, "Claims"), ...claimsBlock(s),
    el("h3", {}, "Places"), mapHolder,
    el("h3", {}, `Reports (${s.reports.length})`),
    el("ul", { id: "story-reports" }, s.reports.map((r) => el("li", {}, fmt(r.published), " · ", fmt(r.source), " · ",
      link(`#/article/${r.id}`, r.title || r.id), el("span", { class: "muted" }, r.score === null ? " (began the story)" : ` (link ${r.score.toFixed(2)})`)))));
  const options = { actions: false, renderer: "svg" };
  for (const x of totals) await embed(charts.querySelector(`[data-kind="${x.kind}"]`), seriesSpec(x), options);
  if (s.events.some((e) => e.date_start)) await embed(timeline, eventTimelineSpec(s.events), options);
  else timeline.remove();
  await storyMap(mapHolder, s.places);
}
