// eventscope dashboard: one page, hash routes (#/events, #/event/REF, #/article/ID ...),
// data from the same server's API. Every string from the store is put into the page as
// text (textContent, attributes set one by one), never parsed as HTML.
"use strict";

const FILTERS = ["since", "until", "country", "admin1", "place", "type", "mode", "quad_class",
  "actor", "modality", "q", "mentions"];
const PAGE = 50;
const view = document.getElementById("view");
const tooltip = document.getElementById("tooltip");

// -- small helpers ----------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function link(href, text) { return el("a", { href }, text); }

async function api(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== "") query.set(key, value);
  }
  const url = query.toString() ? `${path}?${query}` : path;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.detail ? String(body.detail) : `${response.status} ${response.statusText}`);
  }
  return body;
}

function route() {
  const hash = location.hash.replace(/^#\/?/, "") || "events";
  const [path, query] = hash.split("?");
  const parts = path.split("/").map(decodeURIComponent);
  return { name: parts[0] || "events", arg: parts.slice(1).join("/"), params: new URLSearchParams(query || "") };
}

function filterParams(params) {
  const found = {};
  for (const key of FILTERS) if (params.get(key)) found[key] = params.get(key);
  return found;
}

// The API's event filters of the page's: resolved events unless "each report's mentions".
function eventQuery(filters) {
  const { mentions, ...rest } = filters;
  return mentions ? { ...rest, resolved: "false" } : rest;
}

function go(name, params, arg) {
  const query = new URLSearchParams(params || {}).toString();
  location.hash = `#/${name}${arg ? "/" + encodeURIComponent(arg) : ""}${query ? "?" + query : ""}`;
}

function showError(error) {
  view.replaceChildren(el("p", { class: "error", role: "alert" }, String(error.message || error)));
}

function fmt(value) { return value === null || value === undefined || value === "" ? "—" : String(value); }

function actorLinks(names, ids) {
  return (names || []).map((name, i) =>
    ids && ids[i] ? el("a", { href: `#/actor/${ids[i]}`, class: "chip" }, name) : el("span", { class: "chip" }, name));
}

function hoverTip(node, text) {
  node.addEventListener("mouseenter", (e) => {
    tooltip.textContent = text;
    tooltip.hidden = false;
    placeTip(e);
  });
  node.addEventListener("mousemove", placeTip);
  node.addEventListener("mouseleave", () => { tooltip.hidden = true; });
}

function placeTip(e) {
  tooltip.style.left = `${Math.min(e.clientX + 12, innerWidth - 460)}px`;
  tooltip.style.top = `${e.clientY + 14}px`;
}

function pager(total, offset, onPage) {
  const last = Math.max(0, Math.ceil(total / PAGE) - 1);
  const page = Math.floor(offset / PAGE);
  return el("div", { class: "pager" },
    el("button", { type: "button", disabled: page <= 0 || null, onclick: () => onPage((page - 1) * PAGE) }, "‹ previous"),
    el("span", { class: "page-info" }, `${total ? offset + 1 : 0}–${Math.min(total, offset + PAGE)} of ${total}`),
    el("button", { type: "button", disabled: page >= last || null, onclick: () => onPage((page + 1) * PAGE) }, "next ›"));
}

// -- filters ----------------------------------------------------------------------------

const form = document.getElementById("filters");

function fillFilters(params) {
  for (const key of FILTERS) {
    const input = form.elements.namedItem(key);
    if (input && input.type === "checkbox") input.checked = params.get(key) === "1";
    else if (input) input.value = params.get(key) || "";
  }
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const params = {};
  for (const key of FILTERS) {
    const input = form.elements.namedItem(key);
    const value = input.type === "checkbox" ? (input.checked ? "1" : "") : input.value.trim();
    if (value) params[key] = value;
  }
  const current = route().name;
  const listed = ["events", "timeline", "map", "network"].includes(current) ? current : "events";
  go(listed, params);
});
document.getElementById("clear").addEventListener("click", () => {
  form.reset();
  const current = route().name;
  go(["events", "timeline", "map", "network"].includes(current) ? current : "events", {});
});

// -- views ------------------------------------------------------------------------------

async function eventsView(params) {
  const filters = filterParams(params);
  const offset = Number(params.get("offset") || 0);
  const sort = params.get("sort") || "-date";
  const resolved = !filters.mentions;
  const data = await api("/events", { ...eventQuery(filters), sort, limit: PAGE, offset });
  const setSort = (key) => go("events", { ...filters, sort: sort === `-${key}` ? key : `-${key}` });
  const head = (label, key) => key
    ? el("th", { class: "sortable", onclick: () => setSort(key), title: "sort" }, label, sort.endsWith(key) ? (sort.startsWith("-") ? " ↓" : " ↑") : "")
    : el("th", {}, label);
  const rows = data.items.map((e) => el("tr", { class: "clickable", "data-ref": e.ref, onclick: (ev) => { if (ev.target.tagName !== "A") go("event", {}, e.ref); } },
    el("td", {}, fmt(e.date)),
    el("td", {}, el("a", { href: `#/event/${encodeURIComponent(e.ref)}` }, e.type), e.mode ? el("div", { class: "muted" }, e.mode) : null),
    el("td", {}, actorLinks(e.source, e.source_ids)),
    el("td", {}, actorLinks(e.target, e.target_ids)),
    el("td", {}, fmt(e.place), e.admin1 ? el("div", { class: "muted" }, e.admin1) : null),
    resolved
      ? el("td", { class: "reports" }, `${e.n_articles} report${e.n_articles === 1 ? "" : "s"}`, el("div", { class: "muted" }, `${e.n_sources} outlet${e.n_sources === 1 ? "" : "s"}, ${e.n_mentions} mention${e.n_mentions === 1 ? "" : "s"}`))
      : el("td", {}, fmt(e.trigger)),
    resolved
      ? el("td", {}, e.disagreements.length ? e.disagreements.map((d) => d.field).join(", ") : "—")
      : el("td", {}, e.modality.length ? e.modality.join(", ") : "factual"),
    el("td", {}, e.confidence.toFixed(2)),
    resolved
      ? el("td", {}, link(`#/story/${e.story}`, e.title || `story ${e.story}`))
      : el("td", {}, el("a", { href: `#/article/${e.article}` }, e.title || e.article.slice(0, 12)))));
  view.replaceChildren(
    el("h2", {}, resolved ? `Events (${data.total})` : `Event mentions (${data.total})`),
    el("p", { class: "muted" }, resolved ? "One row per real event, fused across the reports that give it." : "Each report's own event mentions; untick “per report” for one row per real event."),
    el("table", { id: "events-table", "data-resolved": resolved ? "1" : "0" },
      el("thead", {}, el("tr", {}, head("Date", "date"), head("Type", "type"), head("Source"), head("Target"), head("Place"),
        resolved ? head("Reported by") : head("Trigger"), resolved ? head("Sources differ on") : head("Modality"),
        head("Conf.", "confidence"), resolved ? head("Story") : head("Article", "published"))),
      el("tbody", {}, rows)),
    pager(data.total, offset, (o) => go("events", { ...filters, sort, offset: o })));
}

async function eventView(ref) {
  const e = await api(`/events/${encodeURIComponent(ref)}`);
  const sentence = e.evidence.sentence;
  const trigger = e.evidence.trigger;
  let quoted = fmt(sentence && sentence.text);
  if (sentence && trigger && trigger.start >= sentence.start && trigger.end <= sentence.end) {
    const a = trigger.start - sentence.start, b = trigger.end - sentence.start;
    quoted = [sentence.text.slice(0, a), el("mark", { class: "hl hl-event" }, sentence.text.slice(a, b)), sentence.text.slice(b)];
  }
  const figures = e.figures.map((f) => el("li", {}, `${f.kind}: ${f.value} (${f.qualifier})`, f.as_of ? ` as of ${f.as_of}` : "", " — “", f.span.text, "”"));
  const quotes = e.quotes.map((q) => el("li", {}, el("q", {}, q.content.text), q.speaker_span ? ` — ${q.speaker_span.text}` : ""));
  const r = e.resolved;
  const resolvedCard = r ? el("div", { class: "card", id: "resolved-event" },
    el("strong", {}, `One real event reported by ${r.n_articles} article${r.n_articles === 1 ? "" : "s"} from ${r.n_sources} outlet${r.n_sources === 1 ? "" : "s"} (${r.n_mentions} mentions)`),
    " — ", link(`#/story/${r.story}`, "its story"),
    el("p", {}, `Fused: ${r.type}${r.mode ? "/" + r.mode : ""}, ${fmt(r.date)}${r.place ? ", " + r.place.name : ""}; confidence ${r.confidence}`),
    r.disagreements.length ? el("ul", {}, r.disagreements.map((d) => el("li", {}, `Sources differ on ${d.field}: `,
      d.values.map((v) => `${v.value} (${v.sources.join(", ")})`).join(" / ")))) : null,
    el("p", { class: "muted" }, "Its mentions: ", r.mentions.map((m) => el("a", { href: `#/event/${encodeURIComponent(m)}`, class: "chip" }, m.slice(0, 8) + m.slice(m.indexOf(":")))))) : null;
  view.replaceChildren(
    el("h2", {}, `${e.type}${e.mode ? " / " + e.mode : ""} `, el("span", { class: "muted" }, e.ref)),
    resolvedCard,
    el("div", { class: "card" }, el("dl", { class: "fields", id: "event-fields" },
      el("dt", {}, "Date"), el("dd", {}, fmt(e.date), ` (${fmt(e.date_precision)})`),
      el("dt", {}, "Source"), el("dd", {}, e.source.length ? actorLinks(e.source, e.source_ids) : "— (none coded)"),
      el("dt", {}, "Target"), el("dd", {}, e.target.length ? actorLinks(e.target, e.target_ids) : "— (none coded)"),
      el("dt", {}, "Place"), el("dd", {}, e.geonameid ? el("a", { href: `#/events?place=${e.geonameid}` }, fmt(e.place)) : fmt(e.place), e.admin1 ? `, ${e.admin1}` : "", e.place_country ? ` (${e.place_country})` : ""),
      el("dt", {}, "CAMEO / quad"), el("dd", {}, `${fmt(e.cameo)} / ${fmt(e.quad_class)}`),
      el("dt", {}, "ACLED"), el("dd", {}, `${fmt(e.acled_type)} / ${fmt(e.acled_subtype)}`),
      el("dt", {}, "Modality"), el("dd", {}, e.modality.length ? e.modality.join(", ") : "factual"),
      el("dt", {}, "Rule"), el("dd", {}, `${e.rule} (confidence ${e.confidence})`),
      el("dt", {}, "Article"), el("dd", {}, link(`#/article/${e.article}`, e.title || e.article), ` (${fmt(e.published)})`))),
    el("h3", {}, "Evidence"), el("blockquote", { class: "card", id: "evidence" }, quoted),
    el("h3", {}, `Figures (${figures.length})`), figures.length ? el("ul", {}, figures) : el("p", { class: "muted" }, "none linked"),
    el("h3", {}, `Quotes about it (${quotes.length})`), quotes.length ? el("ul", {}, quotes) : el("p", { class: "muted" }, "none linked"));
}

const KINDS = ["event", "figure", "cue", "speaker", "actor", "place", "date", "quote"];

// Where a highlighted span leads: an event to its page, an actor (or a quote's speaker)
// to the actor's, a place to the events there, a figure to the event it counts.
function spanLink(span, ref, registry, places, figures, quotes) {
  const event = (id) => `#/event/${encodeURIComponent(ref + ":" + id)}`;
  if (span.kind === "event") return event(span.ref);
  if (span.kind === "actor") return registry[span.ref] ? `#/actor/${registry[span.ref]}` : null;
  if (span.kind === "place") return places[span.ref] ? `#/events?place=${places[span.ref]}` : null;
  if (span.kind === "figure") {
    const f = figures[Number(span.ref.slice(1))];
    return f && f.event ? event(f.event) : null;
  }
  const q = quotes[Number(span.ref.slice(1))];
  if (q && q.speaker && registry[q.speaker]) return `#/actor/${registry[q.speaker]}`;
  return null;
}

function highlighted(text, spans, records) {
  // Cut the text at every span boundary; each piece is marked by the spans covering it,
  // the innermost (shortest) one giving its colour and its link.
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  const nodes = [];
  const registry = Object.fromEntries(records.actors.map((a) => [a.id, a.registry_id]));
  const places = Object.fromEntries(records.places.map((p) => [p.id, p.geonameid]));
  const figures = records.figures;
  const quotes = records.quotes;
  const ref = records.article.id.slice(0, 12);
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i], b = points[i + 1];
    const piece = text.slice(a, b);
    const covering = spans.filter((s) => s.start <= a && s.end >= b);
    if (!covering.length) { nodes.push(piece); continue; }
    covering.sort((x, y) => (x.end - x.start) - (y.end - y.start) || KINDS.indexOf(x.kind) - KINDS.indexOf(y.kind));
    const top = covering[0];
    const href = spanLink(top, ref, registry, places, figures, quotes);
    const node = el(href ? "a" : "span", { class: `hl hl-${top.kind}${href ? " linked" : ""}`, href, "data-kind": top.kind, "data-ref": top.ref });
    node.textContent = piece;
    hoverTip(node, covering.map((s) => s.label + (s.rule ? `  [${s.rule}]` : "")).join("\n"));
    nodes.push(node);
  }
  return nodes;
}

async function articleView(id) {
  const data = await api(`/articles/${encodeURIComponent(id)}`);
  const a = data.article;
  const events = data.events.map((e) => el("li", {}, link(`#/event/${encodeURIComponent(a.id.slice(0, 12) + ":" + e.id)}`, `${e.type}${e.mode ? "/" + e.mode : ""}`), ` “${e.trigger ? e.trigger.text : ""}” ${fmt(e.date)}`));
  view.replaceChildren(
    el("h2", { id: "article-title" }, a.title || a.id),
    el("p", { class: "muted" }, `${fmt(a.published)} · ${fmt(a.source)} · ${fmt(a.language)} · `, a.url ? el("span", {}, a.url) : "no URL", ` · id ${a.id}`,
      data.story ? el("span", {}, " · ", link(`#/story/${data.story}`, `story ${data.story}`)) : null),
    el("p", { class: "legend" }, KINDS.map((k) => el("span", { class: `hl-${k}` }, k))),
    el("div", { class: "article-text", id: "article-text" }, highlighted(a.text, data.spans, data)),
    el("h3", {}, `Events (${events.length})`), el("ul", {}, events));
}

async function actorView(id) {
  const a = await api(`/actors/${encodeURIComponent(id)}`);
  const list = (page) => el("ul", {}, page.items.map((e) => el("li", {}, fmt(e.date), " ", link(`#/event/${encodeURIComponent(e.ref)}`, `${e.type}${e.mode ? "/" + e.mode : ""}`),
    " ", actorLinks(e.source, e.source_ids), " → ", actorLinks(e.target, e.target_ids))));
  view.replaceChildren(
    el("h2", { id: "actor-name" }, a.name, " ", el("span", { class: "muted" }, `${fmt(a.type)} ${fmt(a.country)} ${a.sector || ""}`)),
    el("div", { class: "card" }, el("dl", { class: "fields" },
      el("dt", {}, "Aliases"), el("dd", {}, a.aliases.map((x) => el("span", { class: "chip" }, x))),
      el("dt", {}, "Articles"), el("dd", {}, `${a.articles} (${fmt(a.first_published)} – ${fmt(a.last_published)})`),
      el("dt", {}, "Events"), el("dd", {}, link(`#/events?actor=${encodeURIComponent(a.name)}`, "list them")))),
    el("h3", {}, `As source (${a.events_as_source.total})`), list(a.events_as_source),
    el("h3", {}, `As target (${a.events_as_target.total})`), list(a.events_as_target),
    el("h3", {}, `Quotes (${a.quotes.total})`),
    el("ul", {}, a.quotes.items.map((q) => el("li", {}, el("q", {}, q.content.text), " ", el("span", { class: "muted" }, `${q.kind}, `), link(`#/article/${q.article}`, q.title || q.article.slice(0, 12))))));
}

function timeSpec(values, field, color, title) {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title, width: "container", height: 220, data: { values },
    mark: field === "n" ? { type: "bar", cursor: "pointer" } : { type: "line", point: true },
    encoding: {
      x: { field: "date", type: "temporal", title: null },
      y: { field, type: "quantitative", title: field === "n" ? "events" : "largest figure reported", stack: field === "n" ? "zero" : null },
      color: { field: color, type: "nominal", title: color },
      tooltip: [{ field: "date", type: "temporal" }, { field: color }, { field }],
    },
  };
}

// Events dated to a longer period (a week, month, quarter, season or year) as ranges from
// their first to their last day, one row per type: a bar per day would put them on a day
// they may not have happened. Drawn over the days of the per-day chart (`days`), cut at its
// edges, so that a year or a decade does not stretch the axis.
const dayAfter = (day) => new Date(Date.parse(day) + 86400000).toISOString().slice(0, 10);

function periodSpec(values, days) {
  const rows = values.map((p) => ({ ...p, after: dayAfter(p.date_end) }));
  const scale = days.length ? { domain: [days[0].date, days[days.length - 1].date] } : {};
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Events dated to a week, month or longer (first to last day)", width: "container",
    height: 40 + 18 * new Set(values.map((p) => p.type)).size, data: { values: rows },
    mark: { type: "bar", opacity: 0.45, clip: true },
    encoding: {
      x: { field: "date_start", type: "temporal", title: null, scale },
      x2: { field: "after" },
      y: { field: "type", type: "nominal", title: null },
      color: { field: "type", type: "nominal", title: "type" },
      tooltip: [{ field: "date_start", title: "from" }, { field: "date_end", title: "to" }, { field: "type" }, { field: "n", title: "events" }],
    },
  };
}

// The figure kinds worth a line (counts of other nouns stay in the figures table).
const FIGURE_KINDS = ["killed", "injured", "arrested", "missing", "displaced", "evacuated", "troops", "protesters"];

// Vega views of the page shown, finalized (listeners and tooltip gone) on leaving it.
let charts = [];

async function embed(node, spec, options) {
  const chart = await vegaEmbed(node, spec, options);
  charts.push(chart);
  return chart;
}

function dropCharts() {
  for (const chart of charts) chart.finalize();
  charts = [];
  for (const tip of document.querySelectorAll("#vg-tooltip-element")) tip.remove();
}

async function timelineView(params) {
  const stats = await api("/stats", eventQuery(filterParams(params)));
  const events = el("div", { class: "chart", id: "timeline-events", style: "width:100%" });
  const figures = el("div", { class: "chart", id: "timeline-figures", style: "width:100%" });
  const periods = el("div", { class: "chart", id: "timeline-periods", style: "width:100%" });
  const note = el("p", { class: "muted" }, "Bars count events dated to one day; a day's events list also holds the weeks, months and years that include it.");
  view.replaceChildren(el("h2", {}, `Timeline (${stats.events} events)`), events, note, periods, figures);
  const options = { actions: false, renderer: "svg" };
  const filters = filterParams(params);
  const chart = await embed(events, timeSpec(stats.per_day, "n", "type", "Events per day by type"), options);
  chart.view.addEventListener("click", (_, item) => {  // a bar: that day's events of that type
    if (!item || !item.datum || !item.datum.type) return;
    const day = new Date(item.datum.date).toISOString().slice(0, 10);
    go("events", { ...filters, since: day, until: day, type: item.datum.type });
  });
  if (stats.per_period.length) await embed(periods, periodSpec(stats.per_period, stats.per_day), options);
  else periods.remove();
  const tolls = stats.figures_over_time.filter((f) => FIGURE_KINDS.includes(f.kind));
  if (tolls.length) {
    await embed(figures, timeSpec(tolls, "max", "kind", "Figures over time (largest reported per day)"), options);
  } else figures.replaceChildren(el("p", { class: "muted" }, "No figures in this selection."));
}

let world = null;

async function mapView(params) {
  const filters = filterParams(params);
  const stats = await api("/stats", { ...eventQuery(filters), top: 1000 });
  if (!world) world = await (await fetch("/vendor/world-atlas/countries-50m.json")).json();
  const countries = topojson.feature(world, world.objects.countries);
  const width = Math.min(1100, view.clientWidth || 1000), height = 560;
  const points = stats.per_place.filter((p) => p.lat !== null && p.lon !== null);
  const svg = d3.create("svg").attr("width", width).attr("height", height).attr("role", "img")
    .attr("aria-label", "map of event places");
  // Fit the countries that hold the events (whole, so a region is seen in its country),
  // else the points, else the world.
  const focus = countriesWith(countries.features, points);
  const extent = focus.size
    ? { type: "FeatureCollection", features: [...focus, ...points.map((p) => ({ type: "Feature", geometry: { type: "Point", coordinates: [p.lon, p.lat] } }))] }
    : points.length ? { type: "MultiPoint", coordinates: points.map((p) => [p.lon, p.lat]) } : countries;
  const projection = d3.geoMercator();
  if (!focus.size && points.length === 1) projection.center([points[0].lon, points[0].lat]).scale(2500).translate([width / 2, height / 2]);
  else projection.fitExtent([[30, 30], [width - 30, height - 30]], extent);
  const path = d3.geoPath(projection);
  svg.append("g").selectAll("path").data(countries.features).join("path")
    .attr("class", (f) => "country" + (focus.has(f) ? " focus" : "")).attr("d", path)
    .append("title").text((f) => f.properties.name);
  const max = d3.max(points, (p) => p.n) || 1;
  const radius = d3.scaleSqrt().domain([0, max]).range([0, 28]);
  svg.append("g").selectAll("circle").data(points).join("circle")
    .attr("cx", (p) => projection([p.lon, p.lat])[0]).attr("cy", (p) => projection([p.lon, p.lat])[1])
    .attr("r", (p) => Math.max(3, radius(p.n))).attr("data-geonameid", (p) => p.geonameid)
    .attr("class", (p) => (p.feature || "").startsWith("A.PCL") ? "country-level" : null)
    .on("click", (_, p) => go("events", { ...filters, place: String(p.geonameid) }))
    .each(function (p) { hoverTip(this, `${p.name}${p.admin1 ? ", " + p.admin1 : ""} (${p.country})${(p.feature || "").startsWith("A.PCL") ? " — placed only at country level" : ""}\n${p.n} events — click to list them`); });
  const holder = el("div", { id: "map" });
  holder.append(svg.node());
  view.replaceChildren(el("h2", {}, `Map (${points.length} places, ${stats.events} events)`), holder,
    el("p", { class: "muted" }, "Base map: Natural Earth countries (world-atlas), served by this server. Circle area is the number of events; hollow rings are events placed only in a country."));
}

// The countries that hold at least one event place (bounding box first, then the shape).
function countriesWith(features, points) {
  const found = new Set();
  const boxes = features.map((f) => d3.geoBounds(f));
  for (const p of points) {
    for (let i = 0; i < features.length; i++) {
      const [[w, s], [e, n]] = boxes[i];
      const inBox = p.lat >= s && p.lat <= n && (w <= e ? p.lon >= w && p.lon <= e : p.lon >= w || p.lon <= e);
      if (inBox && !found.has(features[i]) && d3.geoContains(features[i], [p.lon, p.lat])) { found.add(features[i]); break; }
    }
  }
  return found;
}

async function networkView(params) {
  const stats = await api("/stats", { ...eventQuery(filterParams(params)), top: 150 });
  const holder = el("div", { id: "network" });
  view.replaceChildren(el("h2", {}, `Actor network (${stats.actor_pairs.length} source → target pairs)`), holder,
    el("p", { class: "muted" }, "Edge width is the number of events; click an actor to open it."));
  const nodes = new Map();
  for (const p of stats.actor_pairs) {
    nodes.set(p.source_id, { id: String(p.source_id), label: p.source, w: (nodes.get(p.source_id)?.w || 0) + p.n });
    nodes.set(p.target_id, { id: String(p.target_id), label: p.target, w: (nodes.get(p.target_id)?.w || 0) + p.n });
  }
  const max = Math.max(1, ...stats.actor_pairs.map((p) => p.n));
  const cy = cytoscape({
    container: holder,
    elements: [
      ...[...nodes.values()].map((n) => ({ data: n })),
      ...stats.actor_pairs.map((p, i) => ({ data: { id: `x${i}`, source: String(p.source_id), target: String(p.target_id), n: p.n } })),
    ],
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 10, width: "mapData(w, 1, 40, 12, 44)", height: "mapData(w, 1, 40, 12, 44)", "background-color": "#1f5fa8", color: "#1d2330", "text-valign": "bottom" } },
      { selector: "edge", style: { width: `mapData(n, 1, ${max}, 1, 9)`, "line-color": "#9aa4b0", "target-arrow-color": "#9aa4b0", "target-arrow-shape": "triangle", "curve-style": "bezier", opacity: 0.8 } },
    ],
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 9000 },
  });
  cy.on("tap", "node", (e) => go("actor", {}, e.target.id()));
  window.eventscopeNetwork = cy;  // for tests and the console
}

async function figuresView(params) {
  const offset = Number(params.get("offset") || 0);
  const f = filterParams(params);
  const data = await api("/figures", { since: f.since, until: f.until, country: f.country, q: f.q, kind: params.get("kind"), limit: PAGE, offset });
  view.replaceChildren(el("h2", {}, `Figures (${data.total})`),
    el("table", { id: "figures-table" }, el("thead", {}, el("tr", {}, ["Day", "Kind", "Value", "Qualifier", "Span", "Event", "Article"].map((h) => el("th", {}, h)))),
      el("tbody", {}, data.items.map((x) => el("tr", {}, el("td", {}, fmt(x.day)), el("td", {}, x.kind), el("td", {}, x.low !== null && x.high !== null && x.high !== x.low ? `${x.low}–${x.high}` : x.value),
        el("td", {}, x.qualifier), el("td", {}, `“${x.span.text}”`),
        el("td", {}, x.event ? link(`#/event/${encodeURIComponent(x.article.slice(0, 12) + ":" + x.event)}`, x.event) : "—"),
        el("td", {}, link(`#/article/${x.article}`, x.title || x.article.slice(0, 12))))))),
    pager(data.total, offset, (o) => go("figures", { ...f, offset: o })));
}

async function quotesView(params) {
  const offset = Number(params.get("offset") || 0);
  const f = filterParams(params);
  const data = await api("/quotes", { since: f.since, until: f.until, speaker: f.actor, q: params.get("text"), limit: PAGE, offset });
  view.replaceChildren(el("h2", {}, `Quotes and claims (${data.total})`),
    el("table", { id: "quotes-table" }, el("thead", {}, el("tr", {}, ["Speaker", "Cue", "Content", "Kind", "Article"].map((h) => el("th", {}, h)))),
      el("tbody", {}, data.items.map((x) => el("tr", {},
        el("td", {}, x.speaker_registry_id ? link(`#/actor/${x.speaker_registry_id}`, x.speaker_name) : fmt(x.speaker_span && x.speaker_span.text)),
        el("td", {}, fmt(x.cue && x.cue.text)), el("td", {}, x.kind === "indirect" ? x.content.text : el("q", {}, x.content.text)), el("td", {}, x.kind),
        el("td", {}, link(`#/article/${x.article}`, x.title || x.article.slice(0, 12))))))),
    pager(data.total, offset, (o) => go("quotes", { ...f, offset: o })));
}

async function articlesView(params) {
  const offset = Number(params.get("offset") || 0);
  const f = filterParams(params);
  const data = await api("/articles", { q: f.q, since: f.since, until: f.until, limit: PAGE, offset });
  view.replaceChildren(el("h2", {}, "Articles"),
    el("table", { id: "articles-table" }, el("thead", {}, el("tr", {}, ["Published", "Title", "Source", "Language", "Words"].map((h) => el("th", {}, h)))),
      el("tbody", {}, data.items.map((a) => el("tr", {}, el("td", {}, fmt(a.published)), el("td", {}, link(`#/article/${a.id}`, a.title || a.id)),
        el("td", {}, fmt(a.source)), el("td", {}, fmt(a.language)), el("td", {}, fmt(a.words)))))),
    el("div", { class: "pager" }, el("button", { type: "button", disabled: offset <= 0 || null, onclick: () => go("articles", { ...f, offset: Math.max(0, offset - PAGE) }) }, "‹ previous"),
      el("button", { type: "button", disabled: data.items.length < PAGE || null, onclick: () => go("articles", { ...f, offset: offset + PAGE }) }, "next ›")));
}

const VIEWS = {
  events: (r) => eventsView(r.params), event: (r) => eventView(r.arg), article: (r) => articleView(r.arg),
  actor: (r) => actorView(r.arg), timeline: (r) => timelineView(r.params), map: (r) => mapView(r.params),
  network: (r) => networkView(r.params), figures: (r) => figuresView(r.params), quotes: (r) => quotesView(r.params),
  articles: (r) => articlesView(r.params), stories: (r) => storiesView(r.params), story: (r) => storyView(r.arg),
};

async function render() {
  const r = route();
  fillFilters(r.params);
  for (const a of document.querySelectorAll("#nav a[data-view]")) {
    a.classList.toggle("active", a.dataset.view === r.name);
    if (["events", "timeline", "map", "network"].includes(a.dataset.view)) {
      const query = new URLSearchParams(filterParams(r.params)).toString();
      a.setAttribute("href", `#/${a.dataset.view}${query ? "?" + query : ""}`);
    }
  }
  tooltip.hidden = true;
  dropCharts();
  view.dataset.state = "loading";
  try {
    await (VIEWS[r.name] || VIEWS.events)(r);
  } catch (error) {
    showError(error);
  }
  view.dataset.state = "ready";
}

async function start() {
  try {
    const info = await api("/info");
    document.getElementById("store-info").textContent =
      `${info.articles} articles · ${info.stories} stories · ${info.resolved_events} events (${info.events} mentions) · ${fmt(info.published_from)} – ${fmt(info.published_to)}`;
    const select = form.elements.namedItem("type");
    for (const [type, n] of Object.entries(info.events_by_type)) select.append(el("option", { value: type }, `${type} (${n})`));
  } catch (error) {
    showError(error);
  }
  addEventListener("hashchange", render);
  await render();
}

start();
