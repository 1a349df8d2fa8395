// Dateline map runtime (window.DL): what the layers built by geo/web/layers.py call in the page.
// Served by the app like Leaflet; the script URL carries a hash of this file, so a page never
// mixes this code with data laid out for another version.
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
DL.basemap = function (group, url) {
  var done = DL.wait();
  DL.countries(url).then(function (gj) {
    L.geoJSON(gj, {pane: "dl-land", interactive: false,
      style: {color: "#a29d93", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1}}).addTo(group);
    done();
  }).catch(function (e) { document.documentElement.setAttribute("data-dl-error", String(e)); done(); });
};
DL.shading = function (group, url, D) {
  var done = DL.wait();
  var color = function (n) { for (var i = 0; i < D.breaks.length; i++) if (n <= D.breaks[i]) return D.colors[i]; return D.colors[D.colors.length - 1]; };
  DL.countries(url).then(function (gj) {
    L.geoJSON(gj, {pane: "dl-shade",
      filter: function (f) { return (D.counts[f.properties.iso_a2] || 0) > 0; },
      style: function (f) { return {fillColor: color(D.counts[f.properties.iso_a2]), fillOpacity: 0.5, color: "#8a8479", weight: 0.6}; },
      onEachFeature: function (f, layer) {
        var n = D.counts[f.properties.iso_a2];
        var name = String(f.properties.name || f.properties.iso_a2).replace(/[&<>"']/g, "");
        layer.bindTooltip("<b>" + name + "</b> · " + DL.n(n) + (n === 1 ? " event" : " events"), {sticky: true, className: "dl-tip"});
      }}).addTo(group);
    done();
  }).catch(function () { done(); });
};
// e: [type, date, precision, date_text, actors, count, mention, place, country, location_reason,
//     place_reason, sentence, title, url, published, origin, destination] - all escaped in Python.
DL.ev = function (T, e) {
  var t = T[e[0]], h = '<li><div class="dl-eh">' + DL.glyph(t, 11) + ' <b style="color:' + t[2] + '">' + t[1] + "</b> · " + e[1];
  var said = e[3] ? "“" + e[3] + "”" : (e[1] !== "undated" ? "not in the sentence: from the article" : "");
  if (e[2] || said) h += ' <span class="dl-dim">(' + [e[2], said].filter(Boolean).join(", ") + ")</span>";
  h += "</div>";
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
  return h + "</li>";
};
DL.more = function (k, shown) {
  if (k <= 0) return "";
  if (!shown) return '<div class="dl-more">Too many markers to describe each: narrow the filters, or see the Events page.</div>';
  return '<div class="dl-more">and ' + DL.n(k) + " older event" + (k === 1 ? "" : "s") + " (Events page)</div>";
};
DL.markerPopup = function (T, r) {
  var h = '<div class="dl-pop"><div class="dl-ph">' + DL.glyph(T[r[3]], 14) + " <b>" + r[6] + "</b>" + (r[7] ? ' <span class="dl-dim">' + r[7] + "</span>" : "") +
    " · " + DL.n(r[2]) + (r[2] === 1 ? " event" : " events") + "</div>";
  if (r[8] && r[8].length > 1) h += '<div class="dl-types">' + r[8].map(function (x) { return DL.glyph(T[x[0]], 10) + " " + T[x[0]][1] + " " + DL.n(x[1]); }).join(" · ") + "</div>";
  return h + '<ol class="dl-evs">' + r[9].map(function (e) { return DL.ev(T, e); }).join("") + "</ol>" + DL.more(r[10], r[9].length) + "</div>";
};
DL.flowPopup = function (T, f) {
  var h = '<div class="dl-pop"><div class="dl-ph">' + DL.glyph(T[f[2]], 14) + " <b>" + f[5] + " → " + f[6] + "</b> · " + DL.n(f[1]) + (f[1] === 1 ? " event" : " events");
  if (f[4] !== null) h += ' <span class="dl-dim">(' + DL.n(f[4]) + " people reported)</span>";
  return h + '</div><ol class="dl-evs">' + f[7].map(function (e) { return DL.ev(T, e); }).join("") + "</ol>" + DL.more(f[8], f[7].length) + "</div>";
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
DL.markers = function (group, D) {
  var T = D.types, list = [], popupOpts = {maxWidth: 380, minWidth: 240, maxHeight: 320, className: "dl-popup"};
  D.rows.forEach(function (r) {
    var t = T[r[3]], s = Math.round(11 + 15 * Math.sqrt(r[2] / D.maxN));
    var icon = L.divIcon({className: "dl-mk", html: DL.glyph(t, s), iconSize: [s, s],
      iconAnchor: [s / 2 - r[4], s / 2 - r[5]], popupAnchor: [0, -s / 2], tooltipAnchor: [0, -s / 2]});
    var m = L.marker([r[0], r[1]], {icon: icon, n: r[2], keyboard: false, riseOnHover: true});
    m.bindTooltip(r[6] + (r[7] ? " (" + r[7] + ")" : "") + " · " + (D.mode === "type" ? t[1] + " · " : "") + DL.n(r[2]) + (r[2] === 1 ? " event" : " events"), {direction: "top", className: "dl-tip"});
    m.bindPopup(function () { return DL.markerPopup(T, r); }, popupOpts);
    list.push(m);
  });
  DL.stats.markers = list.length;
  if (group.addLayers) {
    var done = DL.wait();
    group.options.chunkProgress = function (i, n) { if (i >= n) done(); };
    group.addLayers(list);
    if (!list.length) done();
  } else list.forEach(function (m) { group.addLayer(m); });
};
DL.flows = function (group, D) {
  var T = D.types;
  D.rows.forEach(function (f) {
    // Width grows with the route's events; a lone flow stays thin when all routes carry few.
    var t = T[f[2]], w = 2 + 7 * Math.sqrt(f[1] / Math.max(D.maxN, 8)), color = t[2];
    var line = L.polyline(f[0], {color: color, weight: w, opacity: 0.8, lineCap: "round", className: "dl-flow", pane: "dl-flows"});
    line.bindTooltip(f[5] + " → " + f[6] + " · " + DL.n(f[1]) + (f[1] === 1 ? " event" : " events"), {sticky: true, className: "dl-tip"});
    line.bindPopup(function () { return DL.flowPopup(T, f); }, {maxWidth: 380, minWidth: 240, maxHeight: 320, className: "dl-popup"});
    group.addLayer(line);
    var first = f[0][0][0], parts = f[0], last = parts[parts.length - 1], end = last[last.length - 1];
    group.addLayer(L.circleMarker(first, {radius: 3, color: color, weight: 1.5, fillColor: "#fff", fillOpacity: 1, className: "dl-origin", pane: "dl-flows", interactive: false}));
    // The arrowhead's tip is the icon's centre, so turning it about the centre keeps the tip on the destination.
    var s = Math.round(14 + 2.2 * w);
    group.addLayer(L.marker(end, {interactive: false, keyboard: false, icon: L.divIcon({className: "dl-arrow", iconSize: [s, s], iconAnchor: [s / 2, s / 2],
      html: '<svg width="' + s + '" height="' + s + '" viewBox="-16 -16 32 32" style="transform:rotate(' + f[3] + 'deg)"><polygon points="0,0 -6.5,14 0,10 6.5,14" fill="' + color + '" stroke="#fff" stroke-width="1.2"/></svg>'})}));
  });
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
DL.viewParam = function () {
  try { var v = new URLSearchParams(window.parent.location.search).get("view"); if (!v) return null;
    var p = v.split(",").map(Number); if (p.length === 3 && p.every(isFinite)) return p; } catch (e) {}
  return null;
};
DL.writeView = function (map) {
  try { var w = window.parent, u = new URL(w.location.href), c = map.getCenter();
    u.searchParams.set("view", c.lat.toFixed(3) + "," + c.lng.toFixed(3) + "," + map.getZoom());
    w.history.replaceState(w.history.state, "", u.toString()); } catch (e) {}
};
DL.clearView = function () {
  try { var w = window.parent, u = new URL(w.location.href); u.searchParams.delete("view");
    w.history.replaceState(w.history.state, "", u.toString()); } catch (e) {}
};
DL.fit = function (map) {
  if (DL.bounds) map.fitBounds(DL.bounds, {padding: [24, 24], maxZoom: 6, animate: false}); else map.setView([20, 10], 2, {animate: false});
  // Data all over the world would fit at zoom 1, a world a quarter of a wide map: zoom 2 fills it.
  if (map.getZoom() < 2 && map.getSize().x >= 700) map.setZoom(2, {animate: false});
};
// The map itself, once per page: the view from the URL if it has one, the Fit button, and the
// URL kept up to date as the user moves the map.
DL.start = function (map) {
  DL.map = map;
  var v = DL.viewParam();
  if (v) { map.setView([v[0], v[1]], v[2], {animate: false}); DL.placed = true; }
  var Fit = L.Control.extend({options: {position: "topleft"}, onAdd: function () {
    var b = L.DomUtil.create("a", "dl-fit leaflet-bar"); b.href = "#"; b.title = "Fit the map to the events"; b.setAttribute("role", "button"); b.textContent = "Fit";
    L.DomEvent.on(b, "click", function (ev) { L.DomEvent.stop(ev); DL.fit(map); DL.clearView(); });
    return b; }});
  new Fit().addTo(map);
  // The view goes into the page URL only once the user moves the map, so a shared link keeps
  // it, and a new selection, drawn on the same map, keeps it too.
  setTimeout(function () { map.on("moveend", function () { DL.writeView(map); }); }, 0);
};
// Each selection's layers: begin runs before they are added (the first selection sets the view,
// so clusters are built once, at it), finish after.
DL.begin = function (D) {
  DL.load = (DL.load || 0) + 1;
  DL.pending = 0; DL.finished = false; DL.stats = {};
  DL.token = D.token; DL.bounds = D.bounds;
  if (!DL.placed) { DL.fit(DL.map); DL.placed = true; }
};
DL.finish = function () {
  requestAnimationFrame(function () { DL.finished = true; DL.check(); });
};
})();
