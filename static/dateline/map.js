// Dateline map runtime (window.DL): what the layers built by geo/web/layers.py call in the page.
// Served by the app joined to Leaflet and markercluster (geo/web/assets.py: BUNDLE); the script
// URL carries a hash of the three, so a page never mixes this code with data laid out for
// another version.
(function () {
if (window.DL) return;
var DL = window.DL = {pending: 0, stats: {}};
// One formatter: toLocaleString builds a new one per call, a seventh of the drawing time at 2,000 markers.
DL.fmt = new Intl.NumberFormat("en-US");
DL.n = function (x) { return DL.fmt.format(Number(x)); };
DL.glyph = function (t, s) { return t[3].replace(/__S__/g, s); };
DL.panes = function (map) {
  if (map.getPane("dl-land")) return;
  map.createPane("dl-land").style.zIndex = 150;
  map.createPane("dl-shade").style.zIndex = 350;
  map.createPane("dl-flows").style.zIndex = 420;
};
DL.countries = function (url) {
  if (!DL._countries) DL._countries = fetch(url, {credentials: "same-origin"}).then(function (r) {
    if (!r.ok) throw new Error("HTTP " + r.status + " for " + url);
    return r.json();
  });
  return DL._countries;
};
DL.wait = function () {
  var load = DL.load; DL.pending += 1; var done = false;
  return function () { if (!done && load === DL.load) { done = true; DL.pending -= 1; DL.check(); } };
};
DL.check = function () {
  if (DL.pending === 0 && DL.finished) {
    var html = document.documentElement;
    html.setAttribute("data-dl-markers", DL.stats.markers || 0);
    html.setAttribute("data-dl-flows", DL.stats.flows || 0);
    // When it was drawn, on the wall clock: the benchmark counts from the page's navigation
    // (performance.timeOrigin of the top page; this frame has its own) or from a filter change.
    html.setAttribute("data-dl-at", Date.now());
    html.setAttribute("data-dl-ready", DL.token);
  }
};
DL.basemap = function (group, url, land) {
  var done = DL.wait();
  DL.countries(url).then(function (gj) {
    L.geoJSON(gj, {pane: "dl-land", interactive: false,
      style: {color: "#a29d93", weight: 0.6, fillColor: land, fillOpacity: 1}}).addTo(group);
    done();
  }).catch(function (e) { document.documentElement.setAttribute("data-dl-error", String(e)); done(); });
};
DL.shadeColor = function (D, n) {
  for (var i = 0; i < D.breaks.length; i++) if (n <= D.breaks[i]) return D.colors[i];
  return D.colors[D.colors.length - 1];
};
DL.shading = function (group, url, D) {
  var done = DL.wait(), load = DL.load;
  DL.sh = {D: D, layers: {}, ready: false};
  DL.countries(url).then(function (gj) {
    L.geoJSON(gj, {pane: "dl-shade",
      filter: function (f) { return (D.counts[f.properties.iso_a2] || 0) > 0; },
      style: function (f) { return {fillColor: DL.shadeColor(D, D.counts[f.properties.iso_a2]), fillOpacity: D.opacity, color: "#8a8479", weight: 0.6}; },
      onEachFeature: function (f, layer) {
        var cc = f.properties.iso_a2;
        var name = String(f.properties.name || cc).replace(/[&<>"']/g, "");
        if (load === DL.load) DL.sh.layers[cc] = layer;
        layer.bindTooltip(function () {
          var n = layer.dlN === undefined ? D.counts[cc] : layer.dlN;
          return "<b>" + name + "</b> · " + DL.n(n) + (n === 1 ? " event" : " events") + (layer.dlN === undefined ? "" : " " + DL.play.span());
        }, {sticky: true, className: "dl-tip"});
      }}).addTo(group);
    if (load === DL.load) DL.sh.ready = true;
    done();
  }).catch(function () { done(); });
};
// e: [type, date, precision, date_text, actors, count, mention, place, country, location_reason,
//     place_reason, sentence, title, url, published, origin, destination, id, correction] - all escaped in Python.
DL.ev = function (T, e) {
  var t = T[e[0]], h = '<li><div class="dl-eh">' + DL.glyph(t, 11) + ' <b style="color:' + t[2] + '">' + t[1] + "</b> · " + e[1];
  var said = e[3] ? "“" + e[3] + "”" : (e[1] !== "undated" ? "not in the sentence: from the article" : "");
  if (e[2] || said) h += ' <span class="dl-dim">(' + [e[2], said].filter(Boolean).join(", ") + ")</span>";
  if (e[18]) h += ' <span class="dl-corrected" style="color:#7c3aed;font-weight:600" title="A user corrected this event">✎ corrected</span>';
  h += "</div>";
  if (e[18]) h += '<div class="dl-dim">The parser said: ' + e[18] + "</div>";
  if (e[4]) h += '<div><span class="dl-k">Actors</span> ' + e[4] + "</div>";
  if (e[5] !== null) h += '<div><span class="dl-k">Count</span> ' + DL.n(e[5]) + "</div>";
  if (e[15] || e[16]) h += '<div><span class="dl-k">Route</span> ' + (e[15] || "?") + " → " + (e[16] || "?") + "</div>";
  if (e[7]) {
    h += '<div><span class="dl-k">Place</span> ' + (e[6] && e[6] !== e[7] ? "“" + e[6] + "” → " : "") + e[7] + (e[8] ? " (" + e[8] + ")" : "");
    var why = [e[10], e[9]].filter(Boolean).join("; ");
    if (why) h += ' <span class="dl-dim">— ' + why + "</span>";
    h += "</div>";
  }
  if (e[11]) h += '<blockquote class="dl-q">' + e[11] + "</blockquote>";
  if (e[12] || e[13]) {
    var title = e[12] || e[13];
    h += '<div class="dl-src">' + (e[13] ? '<a href="' + e[13] + '" target="_blank" rel="noopener noreferrer nofollow">' + title + "</a>" : title) + (e[14] ? ' <span class="dl-dim">' + e[14] + "</span>" : "") + "</div>";
  }
  if (e[17] !== null && e[17] !== undefined) h += '<div><a class="dl-fix" href="' + DL.fixUrl(e[17]) + '" target="_blank" onclick="return DL.go(this)" title="Change its place, type or date, or mark it not an event">Correct…</a></div>';
  return h + "</li>";
};
// The Events page with this event selected, under the page's own selection (its URL's filters).
DL.fixUrl = function (id) {
  try {
    var w = window.parent, u = new URL("Events", w.location.href);
    new URLSearchParams(w.location.search).forEach(function (v, k) { if (k !== "event") u.searchParams.append(k, v); });
    u.searchParams.set("event", String(id));
    return u.toString().replace(/"/g, "%22");
  } catch (err) { return "Events?event=" + Number(id); }
};
// The map's frame may not navigate the app's window (Streamlit sandboxes components), but a link
// in the app's own document may: follow it there, else let this one open a tab.
DL.go = function (a) {
  try { var d = window.parent.document, l = d.createElement("a"); l.href = a.href; d.body.appendChild(l); l.click(); l.remove(); return false; }
  catch (err) { return true; }
};
DL.more = function (k, shown) {
  if (k <= 0) return "";
  if (!shown) return '<div class="dl-more">Too many markers to describe each: narrow the filters, or see the Events page.</div>';
  return '<div class="dl-more">and ' + DL.n(k) + " older event" + (k === 1 ? "" : "s") + " (Events page)</div>";
};
// While playing, a popup lists only the events of the frame's dates and counts those.
DL.inFrame = function (evs, dates) {
  var w = DL.play.window();
  if (!w) return evs;
  return evs.filter(function (e, i) { return dates[i] && dates[i] >= w[0] && dates[i] < w[1]; });
};
DL.placement = function (r) {
  var h = "";
  if (r[11]) h += '<div class="dl-how">A ' + (r[8] ? "group of countries or regions" : "country or region") + " as a whole: the events are somewhere in it, not at this point.</div>";
  if (r[12]) h += '<div class="dl-how">' + (r[12] === r[2] ? "All" : DL.n(r[12]) + " of " + DL.n(r[2])) +
    " placed only by the article's dateline (where the story was filed): a weak guess.</div>";
  return h;
};
DL.markerPopup = function (T, r, n) {
  var evs = DL.inFrame(r[9], r[14]), shown = n === undefined ? r[2] : n;
  var h = '<div class="dl-pop"><div class="dl-ph">' + DL.glyph(T[r[3]], 14) + " <b>" + r[6] + "</b>" + (r[7] ? ' <span class="dl-dim">' + r[7] + "</span>" : "") +
    " · " + DL.n(shown) + (shown === 1 ? " event" : " events") + (n === undefined ? "" : " " + DL.play.span()) + "</div>";
  if (r[8] && r[8].length > 1 && n === undefined) h += '<div class="dl-types">' + r[8].map(function (x) { return DL.glyph(T[x[0]], 10) + " " + T[x[0]][1] + " " + DL.n(x[1]); }).join(" · ") + "</div>";
  h += DL.placement(r);
  return h + '<ol class="dl-evs">' + evs.map(function (e) { return DL.ev(T, e); }).join("") + "</ol>" + DL.more(shown - evs.length, evs.length) + "</div>";
};
DL.flowPopup = function (T, f, n) {
  var evs = DL.inFrame(f[7], f[10]), shown = n === undefined ? f[1] : n;
  var h = '<div class="dl-pop"><div class="dl-ph">' + DL.glyph(T[f[2]], 14) + " <b>" + f[5] + " → " + f[6] + "</b> · " + DL.n(shown) + (shown === 1 ? " event" : " events");
  if (f[4] !== null && n === undefined) h += ' <span class="dl-dim">(' + DL.n(f[4]) + " people reported)</span>";
  h += "</div>";
  var at = [];
  if (f[11][0]) at.push(f[5] + " is drawn at its capital, " + f[11][0]);
  if (f[11][1]) at.push(f[6] + " is drawn at its capital, " + f[11][1]);
  if (at.length) h += '<div class="dl-how">' + at.join("; ") + ": the text names the country as a whole.</div>";
  return h + '<ol class="dl-evs">' + evs.map(function (e) { return DL.ev(T, e); }).join("") + "</ol>" + DL.more(shown - evs.length, evs.length) + "</div>";
};
DL.cluster = function () {
  return L.markerClusterGroup({chunkedLoading: true, maxClusterRadius: 40, showCoverageOnHover: false,
    spiderfyOnMaxZoom: true, disableClusteringAtZoom: 10,
    iconCreateFunction: function (c) {
      var n = 0; c.getAllChildMarkers().forEach(function (m) { n += m.options.n || 1; });
      var cls = n < 10 ? "small" : n < 1000 ? "medium" : "large", s = n < 100 ? 32 : n < 10000 ? 38 : 46;
      return L.divIcon({html: "<div><span>" + DL.n(n) + "</span></div>", className: "marker-cluster marker-cluster-" + cls + " dl-cluster", iconSize: L.point(s, s)});
    }});
};
// A marker's size says how many events it stands for; its outline how it was placed: hollow for a
// country or region as a whole (somewhere in it), faded and dashed when only the article's
// dateline placed every one of its events.
DL.size = function (n, maxN) { return Math.round(11 + 15 * Math.sqrt(Math.min(1, n / maxN))); };
DL.icon = function (t, r, s) {
  var cls = "dl-mk" + (r[11] ? " dl-area" : "") + (r[12] && r[12] === r[2] ? " dl-weak" : "");
  return L.divIcon({className: cls, html: '<svg style="color:' + t[2] + '"' + DL.glyph(t, s).slice(4), iconSize: [s, s],
    iconAnchor: [s / 2 - r[4], s / 2 - r[5]], popupAnchor: [0, -s / 2], tooltipAnchor: [0, -s / 2]});
};
// Hovering a marker that stands for a whole country outlines that country: the events are
// somewhere in it, not at the marker.
DL.outline = function (cc) {
  if (DL._outline) { DL._outline.remove(); DL._outline = null; }
  if (!cc || !DL._countries) return;
  var want = cc;
  DL._countries.then(function (gj) {
    if (DL._outline || want !== cc) return;
    DL._outline = L.geoJSON(gj, {pane: "dl-flows", interactive: false, filter: function (f) { return f.properties.iso_a2 === cc; },
      style: {color: "#222", weight: 2, dashArray: "5 4", fill: false, className: "dl-outline"}}).addTo(DL.map);
  });
};
DL.markers = function (group, D) {
  var T = D.types, list = [], popupOpts = {maxWidth: 380, minWidth: 240, maxHeight: 320, className: "dl-popup"};
  D.rows.forEach(function (r) {
    var t = T[r[3]], s = DL.size(r[2], D.maxN);
    var m = L.marker([r[0], r[1]], {icon: DL.icon(t, r, s), n: r[2], keyboard: false, riseOnHover: true});
    m.dlS = s;
    m.bindTooltip(function () {
      var n = m.dlN === undefined ? r[2] : m.dlN;
      return r[6] + (r[7] ? " (" + r[7] + ")" : "") + (r[11] ? " as a whole" : "") + " · " + (D.mode === "type" ? t[1] + " · " : "") +
        DL.n(n) + (n === 1 ? " event" : " events") + (m.dlN === undefined ? "" : " " + DL.play.span()) +
        (r[12] ? " · " + (r[12] === r[2] ? "placed only by the dateline" : DL.n(r[12]) + " placed only by the dateline") : "");
    }, {direction: "top", className: "dl-tip"});
    m.bindPopup(function () { return DL.markerPopup(T, r, m.dlN); }, popupOpts);
    if (r[11] === 2 && r[7]) {
      m.on("mouseover", function () { DL.outline(r[7]); });
      m.on("mouseout", function () { DL.outline(null); });
    }
    list.push(m);
  });
  DL.mk = {group: group, D: D, list: list, on: list.map(function () { return true; }), cum: null};
  DL.stats.markers = list.length;
  if (group.addLayers) {
    var done = DL.wait();
    group.options.chunkProgress = function (i, n) { if (i >= n) done(); };
    group.addLayers(list);
    if (!list.length) done();
  } else list.forEach(function (m) { group.addLayer(m); });
};
DL.flowWidth = function (n, maxN) { return 2 + 7 * Math.sqrt(Math.min(1, n / Math.max(maxN, 8))); };
DL.flows = function (group, D) {
  var T = D.types, items = [];
  D.rows.forEach(function (f) {
    // Width grows with the route's events; a lone flow stays thin when all routes carry few.
    var t = T[f[2]], w = DL.flowWidth(f[1], D.maxN), color = t[2], item = {};
    var line = L.polyline(f[0], {color: color, weight: w, opacity: 0.85, lineCap: "round", className: "dl-flow", pane: "dl-flows"});
    line.bindTooltip(function () {
      var n = item.n === undefined ? f[1] : item.n;
      return f[5] + " → " + f[6] + " · " + DL.n(n) + (n === 1 ? " event" : " events") + (item.n === undefined ? "" : " " + DL.play.span());
    }, {sticky: true, className: "dl-tip"});
    line.bindPopup(function () { return DL.flowPopup(T, f, item.n); }, {maxWidth: 380, minWidth: 240, maxHeight: 320, className: "dl-popup"});
    var first = f[0][0][0], parts = f[0], last = parts[parts.length - 1], end = last[last.length - 1];
    var origin = L.circleMarker(first, {radius: 3.5, color: color, weight: 2, fillColor: "#fff", fillOpacity: 1, className: "dl-origin", pane: "dl-flows", interactive: false});
    // The arrowhead's tip is the icon's centre, so turning it about the centre keeps the tip on
    // the destination. Dark-edged and a good deal wider than the line, so it reads at any width.
    var s = Math.round(22 + 2.6 * w);
    var arrow = L.marker(end, {interactive: false, keyboard: false, icon: L.divIcon({className: "dl-arrow", iconSize: [s, s], iconAnchor: [s / 2, s / 2],
      html: '<svg width="' + s + '" height="' + s + '" viewBox="-16 -16 32 32" style="transform:rotate(' + f[3] + 'deg)"><polygon points="0,0 -8,15 0,10.5 8,15" fill="' + color + '" stroke="#222" stroke-width="1.3" stroke-linejoin="round"/></svg>'})});
    item.layers = [line, origin, arrow]; item.line = line; item.on = true;
    item.layers.forEach(function (l) { group.addLayer(l); });
    items.push(item);
  });
  DL.fl = {group: group, D: D, items: items, cum: null};
  DL.stats.flows = D.rows.length;
};
DL.legend = function (map, html) {
  // One legend, replaced with each selection; folded stays folded. It starts folded on a
  // small map, where open it would hide a third of the world.
  var size = map.getSize(), open = size.x >= 1000 && size.y >= 500;
  if (DL._legend) { var d = DL._legend.getContainer().querySelector("details"); if (d) open = d.open; DL._legend.remove(); }
  var c = L.control({position: "bottomright"});
  c.onAdd = function () {
    var d = L.DomUtil.create("div", "dl-legend"); d.innerHTML = html;
    var det = d.querySelector("details"); if (det) det.open = open;
    L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d); return d;
  };
  c.addTo(map);
  DL._legend = c;
};
// The map's own state in the page URL, beside the selection the server writes there: the view
// (view=lat,lon,zoom) and the playback (play=cumulative|window, at=YYYY-MM-DD, speed, win).
// Streamlit drops keys it does not know when the user switches pages, so the state is also kept
// in this tab's sessionStorage and put back when the map is opened again without any of it.
DL.KEYS = ["view", "play", "at", "speed", "win"];
DL.params = function () {
  try { return new URLSearchParams(window.parent.location.search); } catch (e) { return new URLSearchParams(""); }
};
DL.viewParam = function (q) {
  var v = (q || DL.params()).get("view"); if (!v) return null;
  var p = v.split(",").map(Number);
  return p.length === 3 && p.every(isFinite) && Math.abs(p[0]) <= 90 && p[2] >= 0 && p[2] <= 20 ? p : null;
};
DL.writeState = function (set) {
  try {
    var w = window.parent, u = new URL(w.location.href);
    Object.keys(set).forEach(function (k) { if (set[k] === null) u.searchParams.delete(k); else u.searchParams.set(k, set[k]); });
    if (u.toString() !== w.location.href) w.history.replaceState(w.history.state, "", u.toString());
    var keep = {};
    DL.KEYS.forEach(function (k) { var v = u.searchParams.get(k); if (v !== null) keep[k] = v; });
    w.sessionStorage.setItem("dateline-map", JSON.stringify(keep));
  } catch (e) {}
};
DL.restoreState = function () {
  var q = DL.params();
  if (DL.KEYS.some(function (k) { return q.has(k); })) { DL.writeState({}); return q; }
  try {
    var kept = JSON.parse(window.parent.sessionStorage.getItem("dateline-map") || "{}");
    if (Object.keys(kept).length) { DL.writeState(kept); return DL.params(); }
  } catch (e) {}
  return q;
};
DL.writeView = function (map) {
  var c = map.getCenter();
  DL.writeState({view: c.lat.toFixed(3) + "," + c.lng.toFixed(3) + "," + map.getZoom()});
};
DL.clearView = function () { DL.writeState({view: null}); };
DL.fitOptions = {padding: [24, 24], maxZoom: 6, animate: false};
DL.fit = function (map) {
  if (DL.bounds) map.fitBounds(DL.bounds, DL.fitOptions); else map.setView([20, 10], 2, {animate: false});
  // Data all over the world would fit at zoom 1, a world a quarter of a wide map: zoom 2 fills it.
  if (map.getZoom() < 2 && map.getSize().x >= 700) map.setZoom(2, {animate: false});
};
// A new selection is fitted unless the view already shows all of it at about the zoom a fit
// would choose: a reader who zoomed in keeps the view while its events stay in sight.
DL.refit = function (map) {
  if (!DL.bounds) return;
  var b = L.latLngBounds(DL.bounds), want = Math.min(map.getBoundsZoom(b, false, L.point(48, 48)), DL.fitOptions.maxZoom);
  if (!map.getBounds().contains(b) || map.getZoom() < want - 1) DL.fit(map);
};
// The map itself, once per page: the view from the URL if it has one, the Fit button, the
// playback bar and the URL kept up to date as the user moves the map.
DL.start = function (map) {
  DL.map = map;
  var q = DL.restoreState(), v = DL.viewParam(q);
  if (v) { map.setView([v[0], v[1]], v[2], {animate: false}); DL.placed = true; }
  var Fit = L.Control.extend({options: {position: "topleft"}, onAdd: function () {
    var b = L.DomUtil.create("a", "dl-fit leaflet-bar"); b.href = "#"; b.title = "Fit the map to the events"; b.setAttribute("role", "button"); b.textContent = "Fit";
    L.DomEvent.on(b, "click", function (ev) { L.DomEvent.stop(ev); DL.fit(map); DL.clearView(); });
    return b; }});
  new Fit().addTo(map);
  DL.play.start(map, q);
  // The view goes into the page URL only once the map moves after it is first placed, so a
  // shared link keeps its view, and a new selection, drawn on the same map, keeps it too.
  setTimeout(function () { map.on("moveend", function () { DL.writeView(map); }); }, 0);
};
// Each selection's layers: begin runs before they are added (the first selection sets the view,
// so clusters are built once, at it), finish after.
DL.begin = function (D) {
  DL.load = (DL.load || 0) + 1;
  DL.pending = 0; DL.finished = false; DL.stats = {};
  var same = DL.token === D.token;
  DL.token = D.token; DL.bounds = D.bounds; DL.timebins = D.play;
  DL.mk = DL.fl = DL.sh = null;
  if (!DL.placed) { DL.fit(DL.map); DL.placed = true; }
  else if (DL.drawnOnce && !same) DL.refit(DL.map);
  DL.drawnOnce = true;
};
DL.finish = function () {
  requestAnimationFrame(function () {
    DL.play.data();
    DL.finished = true; DL.check();
  });
};

// -- playback: the selection played through time, frame by frame, in the page ------------------
// A frame is one time bin of the selection (geo/web/playback.py: the timeline's day, week, month
// or year). Routes came with their events per bin; markers and countries with a key to theirs,
// fetched once per selection when playback first starts (GET D.play.series, series_route.py:
// most visitors never play, and at a million events that query outweighs the map). A frame then
// only sums them and restyles what is drawn: no further request, no rerun. Cumulative shows every event up to the
// frame's bin; a window the last `win` bins. Undated events have no frame and sit out.
DL.play = (function () {
  var P = {active: false, playing: false, mode: "cumulative", i: 0, speed: 1, win: 3, last: 0, wrote: 0, raf: 0, frames: 0, loading: false, failed: ""};
  // The series of the layers drawn: {token, data: play_series's answer, wait: its Promise}.
  var S = {token: null, data: null, wait: null};
  var SPEEDS = [0.5, 1, 2, 4], WINS = [1, 3, 6, 12], BASE_FPS = 4, ui = {}, label = null;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function bins() { return DL.timebins ? DL.timebins.bins : 0; }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function binDate(i) {  // the first day of bin i, as a UTC Date
    var tb = DL.timebins, f = tb.first.split("-").map(Number), d = new Date(Date.UTC(f[0], f[1] - 1, f[2]));
    if (tb.unit === "day") d.setUTCDate(d.getUTCDate() + i);
    else if (tb.unit === "week") d.setUTCDate(d.getUTCDate() + 7 * i);
    else if (tb.unit === "month") d.setUTCMonth(d.getUTCMonth() + i);
    else d.setUTCFullYear(d.getUTCFullYear() + i);
    return d;
  }
  function iso(d) { return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()); }
  function binOf(text) {  // the bin a date (YYYY-MM-DD) falls in
    var tb = DL.timebins, a = text.split("-").map(Number), f = tb.first.split("-").map(Number);
    var days = Math.floor((Date.UTC(a[0], a[1] - 1, a[2]) - Date.UTC(f[0], f[1] - 1, f[2])) / 864e5);
    if (tb.unit === "day") return days;
    if (tb.unit === "week") return Math.floor(days / 7);
    if (tb.unit === "month") return (a[0] - f[0]) * 12 + a[1] - f[1];
    return a[0] - f[0];
  }
  function say(i) {  // bin i as a reader writes it, no more precisely than the bin
    var d = binDate(i), u = DL.timebins.unit;
    if (u === "year") return String(d.getUTCFullYear());
    if (u === "month") return MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
    if (u === "week") return "week of " + iso(d);
    return iso(d);
  }
  function lo() { return P.mode === "window" ? Math.max(0, P.i - P.win + 1) : 0; }
  // Per item, events up to each bin: a frame's count is then one subtraction.
  function cumulate(rows, at) {
    var n = bins();
    return rows.map(function (r) {
      var c = new Int32Array(n), flat = r[at], b = 0, k;
      for (k = 0; k < flat.length; k += 2) { b += flat[k]; if (b < n) c[b] += flat[k + 1]; }
      for (k = 1; k < n; k++) c[k] += c[k - 1];
      return c;
    });
  }
  function count(c, a, b) { return c[b] - (a > 0 ? c[a - 1] : 0); }
  // The largest count any item reaches in any frame of this mode: sizes keep one scale all along.
  function peak(cums) {
    var top = 1, n = bins();
    cums.forEach(function (c) {
      if (P.mode !== "window") { top = Math.max(top, c[n - 1]); return; }
      for (var i = 0; i < n; i++) top = Math.max(top, count(c, Math.max(0, i - P.win + 1), i));
    });
    return top;
  }
  var cache = {};
  function prepared() {
    var key = DL.token + "|" + P.mode + "|" + P.win;
    if (cache.key !== key) {
      cache = {key: key};
      var ms = S.data.markers || {}, cs = S.data.countries || {};
      if (DL.mk) {
        if (!DL.mk.cum) DL.mk.cum = cumulate(DL.mk.D.rows.map(function (r) { return {s: ms[r[13]] || []}; }), "s");
        cache.mk = peak(DL.mk.cum);
      }
      if (DL.fl) { if (!DL.fl.cum) DL.fl.cum = cumulate(DL.fl.D.rows, 9); cache.fl = peak(DL.fl.cum); }
      if (DL.sh) {
        var codes = Object.keys(cs);
        DL.sh.codes = codes;
        if (!DL.sh.cum) DL.sh.cum = cumulate(codes.map(function (c) { return {s: cs[c]}; }), "s");
      }
    }
    return cache;
  }
  function ready() { return S.data !== null && S.token === DL.token; }
  // The series of the layers drawn now, fetched once per selection: a Promise.
  function fetchSeries() {
    var token = DL.token, url = DL.timebins.series;
    if (S.token === token && S.wait) return S.wait;
    S.token = token; S.data = null;
    S.wait = fetch(url, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (d) { if (S.token === token) S.data = d; return d; }, function (e) {
      if (S.token === token) { S.token = null; S.wait = null; }  // the next press asks again
      throw e;
    });
    return S.wait;
  }
  // Run `go` once the series are here; meanwhile the bar says so, and a failure is said too.
  function withSeries(go) {
    if (ready()) { go(); return; }
    var token = DL.token;
    P.loading = true; P.failed = ""; show();
    fetchSeries().then(function () {
      P.loading = false;
      if (DL.token === token) go(); else show();
    }, function (e) {
      P.loading = false; P.playing = false; P.failed = "Playback could not load its dates (" + e.message + "): press ▶ to try again.";
      show();
    });
  }
  // Draw frame P.i (or, inactive, the whole selection as it came).
  function render() {
    var a = lo(), b = P.i, c = P.active && bins() && ready() ? prepared() : null, shown = 0;
    if (DL.mk) {
      var M = DL.mk, add = [], del = [], resized = false;
      M.list.forEach(function (m, j) {
        var r = M.D.rows[j], n = c ? count(M.cum[j], a, b) : r[2], on = n > 0;
        m.dlN = c ? n : undefined;
        if (on) {
          shown += 1;
          var s = DL.size(n, c ? c.mk : M.D.maxN);
          if (s !== m.dlS) { m.dlS = s; m.setIcon(DL.icon(M.D.types[r[3]], r, s)); }
          if (m.options.n !== n) { m.options.n = n; resized = true; }
        }
        if (on !== M.on[j]) { M.on[j] = on; (on ? add : del).push(m); }
      });
      if (M.group.addLayers) {
        if (del.length) M.group.removeLayers(del);
        if (add.length) M.group.addLayers(add);
        if (resized && M.group.refreshClusters) M.group.refreshClusters();
      } else {
        del.forEach(function (m) { M.group.removeLayer(m); });
        add.forEach(function (m) { M.group.addLayer(m); });
      }
    }
    if (DL.fl) {
      var F = DL.fl;
      F.items.forEach(function (it, j) {
        var f = F.D.rows[j], n = c ? count(F.cum[j], a, b) : f[1], on = n > 0;
        it.n = c ? n : undefined;
        if (on && it.w !== n) { it.w = n; it.line.setStyle({weight: DL.flowWidth(n, c ? c.fl : F.D.maxN)}); }
        if (on !== it.on) { it.on = on; it.layers.forEach(function (l) { if (on) F.group.addLayer(l); else F.group.removeLayer(l); }); }
      });
    }
    if (DL.sh && DL.sh.ready) {
      var S = DL.sh, cums = c ? S.cum : null, idx = {};
      if (cums) S.codes.forEach(function (cc, k) { idx[cc] = k; });
      Object.keys(S.layers).forEach(function (cc) {
        var layer = S.layers[cc], n = cums ? (cc in idx ? count(cums[idx[cc]], a, b) : 0) : S.D.counts[cc];
        layer.dlN = cums ? n : undefined;
        if (layer.dlShade !== n) {
          layer.dlShade = n;
          layer.setStyle(n > 0 ? {fillColor: DL.shadeColor(S.D, n), fillOpacity: S.D.opacity, opacity: 1} : {fillOpacity: 0, opacity: 0});
        }
      });
    }
    P.frames += 1;
    // The date the frame stands for, kept across new layers (whose bins may differ).
    if (P.active && bins()) P.date = iso(binDate(P.i));
    var html = document.documentElement;
    html.setAttribute("data-dl-frame", P.active ? P.i : "");
    html.setAttribute("data-dl-shown", DL.mk ? shown : 0);
    html.setAttribute("data-dl-frames", P.frames);
    show();
  }
  function show() {
    var n = bins(), has = n > 0;
    if (!ui.bar) return;
    ui.bar.classList.toggle("dl-off", !has);
    ui.go.textContent = P.loading ? "…" : P.playing ? "❚❚" : "▶";
    ui.go.title = P.loading ? "Loading the selection's dates" : P.playing ? "Pause" : "Play the selection through time";
    ui.go.setAttribute("aria-label", ui.go.title);
    ui.stop.disabled = !P.active;
    ui.slider.max = Math.max(0, n - 1);
    ui.slider.value = P.active ? P.i : Math.max(0, n - 1);
    ui.mode.value = P.mode; ui.speed.value = String(P.speed); ui.win.value = String(P.win);
    ui.win.style.display = P.mode === "window" ? "" : "none";
    Array.prototype.forEach.call(ui.win.options, function (o) { var k = +o.value; o.textContent = k + " " + (DL.timebins ? DL.timebins.unit : "bin") + (k > 1 ? "s" : ""); });
    if (label) {
      var text = P.failed || (P.active && has && ready() ? api.span(true) : "");
      label.style.display = text ? "" : "none";
      label.textContent = text;
    }
  }
  function remember(force) {
    var now = performance.now();
    // Chromium throttles a page that rewrites its URL more than about ten times a second.
    if (!force && now - P.wrote < 1000) return;
    P.wrote = now;
    DL.writeState(P.active && bins() ? {play: P.mode, at: iso(binDate(P.i)), speed: String(P.speed), win: P.mode === "window" ? String(P.win) : null}
      : {play: null, at: null, speed: null, win: null});
  }
  function tick(now) {
    if (!P.playing) return;
    if (now - P.last >= 1000 / (BASE_FPS * P.speed)) {
      P.last = now;
      if (P.i >= bins() - 1) { P.playing = false; render(); remember(true); return; }
      P.i += 1; render(); remember(false);
    }
    P.raf = requestAnimationFrame(tick);
  }
  var api = {
    span: function (long) {
      if (!P.active || !bins()) return "";
      if (P.mode === "window" && P.win > 1) return (long ? "" : "in ") + say(lo()) + " – " + say(P.i);
      return P.mode === "window" ? (long ? "" : "in ") + say(P.i) : "up to " + say(P.i);
    },
    // [first day, day after the last] of the frame's dates, as ISO text; null when not playing.
    window: function () {
      if (!P.active || !bins()) return null;
      return [P.mode === "window" ? iso(binDate(lo())) : "0000-00-00", iso(binDate(P.i + 1))];
    },
    play: function () {
      if (!bins()) return;
      P.playing = true;
      withSeries(function () {
        if (!P.playing) return;  // paused while the series came
        if (!P.active || P.i >= bins() - 1) { P.active = true; P.i = 0; }
        P.last = 0; render(); remember(true);
        cancelAnimationFrame(P.raf); P.raf = requestAnimationFrame(tick);
      });
    },
    pause: function () { P.playing = false; cancelAnimationFrame(P.raf); show(); remember(true); },
    stop: function () { P.playing = false; P.active = false; cancelAnimationFrame(P.raf); render(); remember(true); },
    seek: function (i) {
      if (!bins()) return;
      withSeries(function () { P.active = true; P.i = Math.max(0, Math.min(bins() - 1, i)); render(); remember(true); });
    },
    // A Promise of the selection's series (the benchmark times frames, not this request).
    load: function () { return bins() ? fetchSeries() : Promise.resolve(null); },
    set: function (k, v) { P[k] = v; if (P.active) render(); else show(); remember(true); },
    state: function () { return {active: P.active, playing: P.playing, mode: P.mode, i: P.i, speed: P.speed, win: P.win, bins: bins(), frames: P.frames}; },
    // New layers arrived (a filter change, or the first draw): play on from the same date.
    data: function () {
      cache = {};
      if (!bins()) { P.active = P.playing = false; P.at = null; render(); return; }
      var at = P.at || (P.active ? P.date : null);
      if (!at) { render(); return; }
      // A frame to show (a link that plays, or playback across a filter change): the whole new
      // selection is drawn until its series are here, then that frame.
      P.at = null;
      cancelAnimationFrame(P.raf);
      if (P.active) { P.active = false; render(); }
      withSeries(function () {
        P.i = Math.max(0, Math.min(bins() - 1, binOf(at))); P.active = true;
        render();
        if (P.playing) { cancelAnimationFrame(P.raf); P.raf = requestAnimationFrame(tick); }
      });
    },
    start: function (map, q) {
      var mode = q.get("play"), at = q.get("at"), speed = Number(q.get("speed")), win = Number(q.get("win"));
      if (mode === "cumulative" || mode === "window") {
        P.mode = mode;
        if (at && /^\d{4}-\d{2}-\d{2}$/.test(at)) P.at = at;
      }
      // Any speed from a link (the benchmark asks for the page's top speed); the menu offers four.
      if (isFinite(speed) && speed >= 0.25 && speed <= 100) P.speed = speed;
      if (isFinite(win) && win >= 1 && win <= 1000) P.win = Math.round(win);
      var Bar = L.Control.extend({options: {position: "bottomleft"}, onAdd: function () {
        var d = L.DomUtil.create("div", "dl-play leaflet-bar");
        var speeds = SPEEDS.indexOf(P.speed) < 0 ? SPEEDS.concat([P.speed]) : SPEEDS, wins = WINS.indexOf(P.win) < 0 ? WINS.concat([P.win]) : WINS;
        d.innerHTML = '<button type="button" class="dl-go"></button><button type="button" class="dl-stop" title="Stop: the whole selection again" aria-label="Stop">■</button>' +
          '<input type="range" class="dl-seek" min="0" max="0" step="1" value="0" aria-label="Playback date">' +
          '<select class="dl-mode" aria-label="Playback mode" title="Cumulative: every event up to the date; window: only the last few bins">' +
          '<option value="cumulative">cumulative</option><option value="window">window</option></select>' +
          '<select class="dl-win" aria-label="Window length">' + wins.map(function (k) { return '<option value="' + k + '">' + k + "</option>"; }).join("") + "</select>" +
          '<select class="dl-speed" aria-label="Playback speed">' + speeds.map(function (k) { return '<option value="' + k + '">' + k + "×</option>"; }).join("") + "</select>";
        ui = {bar: d, go: d.querySelector(".dl-go"), stop: d.querySelector(".dl-stop"), slider: d.querySelector(".dl-seek"),
          mode: d.querySelector(".dl-mode"), win: d.querySelector(".dl-win"), speed: d.querySelector(".dl-speed")};
        L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d);
        L.DomEvent.on(ui.go, "click", function () { if (P.playing) api.pause(); else api.play(); });
        L.DomEvent.on(ui.stop, "click", function () { api.stop(); });
        L.DomEvent.on(ui.slider, "input", function () { api.seek(+ui.slider.value); });
        L.DomEvent.on(ui.mode, "change", function () { api.set("mode", ui.mode.value); });
        L.DomEvent.on(ui.win, "change", function () { api.set("win", +ui.win.value); });
        L.DomEvent.on(ui.speed, "change", function () { api.set("speed", +ui.speed.value); });
        return d; }});
      new Bar().addTo(map);
      label = L.DomUtil.create("div", "dl-date", map.getContainer());
      label.setAttribute("role", "status");
      show();
    }
  };
  return api;
})();
})();
