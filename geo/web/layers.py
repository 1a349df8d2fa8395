"""The map as folium (Leaflet) objects that work with no network, one class per layer.

    data = map_data(store, Filters(start=..., types=[...]))   # aggregated and escaped (cacheable)
    st_folium(base_map(), key="map", feature_group_to_add=data_layers(data),
              layer_control=layer_control(), returned_objects=[])
    m = build_map(data)                              # or one self-contained folium.Map

The base map (basemap, scripts, view) is the same for every selection, so streamlit-folium keeps
it in the page and a new selection only replaces the feature groups: no reload, no flicker, the
view kept. Layers, as the layer control lists them:
  - Countries (offline basemap): country outlines fetched from the app's own static folder;
    OpenStreetMap and CARTO tiles are extra base layers only when geo.settings.online().
  - Events: markers coloured and shaped by type (geo/web/styles.py), sized by how many events
    they stand for, clustered when there are many.
  - Flows: origin -> destination geodesics, width by events on the route, an arrowhead at the
    destination turned to the direction of arrival.
  - Events per country: countries shaded by event count.
Markers stand apart by how they were placed (hollow: a country or region as a whole; faded:
only the article's dateline). The page plays the selection through time (geo/web/playback.py):
routes carry their events per time bin, markers and countries a key to theirs, which the page
fetches once per selection when a reader presses play (geo/web/series_route.py).

The browser half is static/dateline/map.js and map.css, served by the app like Leaflet.
"""

from __future__ import annotations

import json

import folium
from branca.element import Element, MacroElement
from folium.elements import ElementAddToElement, JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from . import assets
from .map_data import CLUSTER_MIN, MapData
from .popups import esc
from .styles import FAMILIES, LAND, SHADE_OPACITY, glyph_svg, placement_glyph, shaded_on_land, shading_classes, type_style


def _js(obj) -> str:
    """JSON for a <script>: no '</' can close the element, whatever the strings hold; and no
    Jinja opener ('{{', '{%', '{#'), because branca wraps each element's rendered script in a
    new Template and renders it again: article text such as '{{ 7*7 }}' or worse would run on
    the server. JSON's own braces never open with those pairs (an object's first token is a
    string or '}'), so only string content is touched, and the escapes read back the same."""
    out = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/").replace("<!--", "<\\u0021--")
    return out.replace("{{", "{\\u007b").replace("{%", "{\\u0025").replace("{#", "{\\u0023")


class Runtime(JSCSSMixin, MacroElement):
    """DL, the few functions every layer below calls (static/dateline/map.js, which comes in the
    map's one script, assets.BUNDLE_JS) and its CSS; Leaflet's image path; the view.

    The same for every selection, so the map (and its basemap) is built once per page and
    selections only swap the layers in it. MarkerCluster is loaded whether or not the first
    selection clusters: scripts are only loaded when the map is."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.Icon.Default.imagePath = {{ this.image_path|tojson }};
        DL.panes({{ this._parent.get_name() }});
        DL.start({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "DatelineRuntime"
        self.default_js = []  # markercluster and map.js come in the map's one script (assets.BUNDLE_JS)
        self.default_css = [*assets.CLUSTER_CSS, *assets.RUNTIME_CSS]
        self.image_path = assets.LEAFLET_IMAGES


class _Verbatim(Element):
    """A rendered script, put into the page as it is. branca's MacroElement.render wraps each
    script in Element(text), which compiles the text as a new Jinja template: for a layer
    carrying the map's data, hundreds of kB lexed again on every draw (see also _js)."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str):
        super().__init__()
        self.text = text


class _DataLayer(Layer):
    # Data layers live in a FeatureGroup (see data_layers), which the layer control lists.
    def __init__(self, name: str, overlay: bool = True, show: bool = True, control: bool = False):
        super().__init__(name=name, overlay=overlay, control=control, show=show)

    def render(self, **kwargs):
        # What folium's Layer.render and branca's MacroElement.render do for these elements
        # (no includes, no header or html macro), with the script kept verbatim.
        if self.show:
            self.add_child(
                ElementAddToElement(element_name=self.get_name(), element_parent_name=self._parent.get_name()),
                name=self.get_name() + "_add",
            )
        script = self._template.module.__dict__["script"]
        self.get_root().script.add_child(_Verbatim(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class CountryBasemap(_DataLayer):
    """Country outlines on a sea-coloured background: the basemap with no tile server."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        DL.basemap({{ this.get_name() }}, {{ this.url|tojson }}, {{ this.land|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, url: str = assets.COUNTRIES_URL, name: str = "Countries (offline)"):
        super().__init__(name, overlay=False, show=True, control=True)
        self._name = "CountryBasemap"
        self.url = url
        self.land = LAND


class CountryShading(_DataLayer):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        DL.shading({{ this.get_name() }}, {{ this.url|tojson }}, {{ this.data }});
        {% endmacro %}
        """
    )

    def __init__(
        self, counts: dict, url: str = assets.COUNTRIES_URL, name: str = "Events per country", show: bool = True
    ):
        super().__init__(name, show=show)
        self._name = "CountryShading"
        self.url = url
        breaks, colors = shading_classes(max(counts.values(), default=0))
        self.data = _js({"counts": counts, "breaks": breaks, "colors": colors, "opacity": SHADE_OPACITY})


class EventMarkers(_DataLayer):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = {{ 'DL.cluster()' if this.cluster else 'L.featureGroup()' }};
        DL.markers({{ this.get_name() }}, {{ this.data }});
        {% endmacro %}
        """
    )

    def __init__(self, data: MapData, name: str = "Events"):
        super().__init__(name)
        self._name = "EventMarkers"
        self.cluster = len(data.markers) > CLUSTER_MIN
        self.data = _js({"types": data.type_table, "rows": data.markers, "mode": data.mode,
                         "maxN": max((r[2] for r in data.markers), default=1)})  # fmt: skip


class FlowArcs(_DataLayer):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        DL.flows({{ this.get_name() }}, {{ this.data }});
        {% endmacro %}
        """
    )

    def __init__(self, data: MapData, name: str = "Flows"):
        super().__init__(name)
        self._name = "FlowArcs"
        self.data = _js({"types": data.type_table, "rows": data.flows, "maxN": max((f[1] for f in data.flows), default=1)})


class Legend(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        DL.legend(DL.map, {{ this.html_json }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str):
        super().__init__()
        self._name = "Legend"
        self.html_json = _js(html_text)


class Begin(MacroElement):
    """Runs before a selection's layers are added: its token and bounds (see DL.begin)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        DL.begin({{ this.data }});
        {% endmacro %}
        """
    )

    def __init__(self, data: MapData):
        super().__init__()
        self._name = "Begin"
        self.data = _js({"bounds": data.bounds, "token": data.digest(), "play": data.play})


class Finish(MacroElement):
    """Runs after them: marks the map ready (data-dl-ready) once every layer is drawn."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        DL.finish();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "Finish"


def legend_html(data: MapData) -> str:
    """The legend's HTML: a <details> block, so a reader can fold it away from the markers."""
    rows = []
    counts = data.type_counts
    flow_counts = data.flow_type_counts
    fams: dict[str, list[str]] = {}
    for t in data.types:
        fams.setdefault(type_style(t).family, []).append(t)
    if fams:
        rows.append("<h4>Events</h4>")
    items = []
    for fam in FAMILIES:
        for t in fams.get(fam, []):
            n = counts.get(t, 0) + (0 if t in counts else flow_counts.get(t, 0))
            items.append(f'<div class="row">{glyph_svg(t, 13)}<span>{esc(type_style(t).label)}</span><span class="n">{n:,}</span></div>')
    if items:
        rows.append(f'<div class="{"types two" if len(items) > 8 else "types"}">{"".join(items)}</div>')
    if data.mode != "type" and data.markers:
        how = "place" if data.mode == "place" else f"{data.cell_deg:g}° cell"
        rows.append(f'<div class="note">One marker per {how}, shaped by its commonest type; size = events.</div>')
    elif data.markers:
        rows.append('<div class="note">One marker per place and type; size = events.</div>')
    if data.area or data.weak:
        rows.append("<h4>Placed</h4>")
        rows.append(f'<div class="row">{placement_glyph()}<span>at a town or a point</span></div>')
        if data.area:
            rows.append(f'<div class="row">{placement_glyph("dl-area")}<span>in a country or region as a whole</span></div>')
        if data.weak:
            rows.append(f'<div class="row">{placement_glyph("dl-weak")}<span>only by the article\'s dateline: a weak guess</span></div>')
            rows.append('<div class="note">Raise <i>Minimum confidence</i> in the sidebar to hide weak guesses.</div>')
    if data.flows:
        rows.append("<h4>Flows</h4>")
        rows.append('<div class="row"><svg width="34" height="10"><line x1="1" y1="5" x2="25" y2="5" stroke="#555" stroke-width="2"/>'
                    '<polygon points="33,5 24,0.5 26,5 24,9.5" fill="#555"/></svg><span>origin → destination</span></div>')  # fmt: skip
        rows.append('<div class="note">Width = events on the route.'
                    + (f" Busiest {data.routes_drawn:,} of {data.routes:,} routes drawn." if data.routes_drawn < data.routes else "")
                    + "</div>")  # fmt: skip
    if data.countries:
        breaks, colors = shading_classes(max(data.countries.values()))
        rows.append("<h4>Events per country</h4>")
        lo = 1
        for b, c in zip(breaks, colors):
            label = f"{lo:,}" if lo == b else f"{lo:,}–{b:,}"
            # The map fills countries at SHADE_OPACITY over the land: the swatch shows that colour.
            rows.append(f'<div class="row"><span class="sw" style="background:{shaded_on_land(c)}"></span><span>{label}</span></div>')
            lo = b + 1
    return '<details open><summary>Legend</summary>' + "".join(rows) + "</details>"


CARTO_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
    '&copy; <a href="https://carto.com/attributions">CARTO</a>'
)


def tile_layers() -> list[folium.TileLayer]:
    """Online base layers, offered only when the user opted in (DATELINE_ONLINE=1)."""
    return [
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", overlay=False, control=True, show=False),
        folium.TileLayer(
            "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
            attr=CARTO_ATTRIBUTION,
            name="CARTO Positron (online)",
            overlay=False,
            control=True,
            show=False,
            subdomains="abcd",
            max_zoom=20,
        ),
    ]


def base_map(*, online: bool | None = None, height: int | str = "100%") -> folium.Map:
    """The map without data: the offline basemap (and online tiles if `online`, default
    geo.settings.online()). The same object for every selection: give it to st_folium with
    data_layers() as `feature_group_to_add`, and a new selection redraws only the layers."""
    from geo.settings import online as online_setting

    assets.use_local_assets()
    online = online_setting() if online is None else online
    m = folium.Map(
        location=[20, 10],
        zoom_start=2,
        tiles=None,
        world_copy_jump=True,
        control_scale=True,
        height=height,
        prefer_canvas=False,  # SVG paths and DOM markers: countable, styleable, crisp
    )
    # folium gives max_zoom to its tile layer only; with no tiles the map itself needs it, and
    # MarkerCluster refuses a map without one.
    m.options["maxZoom"] = 18 if online else 12
    m.options["minZoom"] = 1
    # One script (Leaflet, markercluster, map.js) and no jQuery, which nothing here uses: the
    # page fetches scripts one after another, so each one fewer starts the map a round trip sooner.
    m.default_js = list(assets.BUNDLE_JS)
    Runtime().add_to(m)
    CountryBasemap().add_to(m)
    if online:
        for t in tile_layers():
            t.add_to(m)
    return m


def data_layers(data: MapData, *, shading: bool = True) -> list[folium.FeatureGroup]:
    """A selection's layers, in drawing order, as the feature groups the layer control lists."""
    start = folium.FeatureGroup(name="start", control=False)
    Begin(data).add_to(start)
    shade = folium.FeatureGroup(name="Events per country", show=shading)
    CountryShading(data.countries).add_to(shade)
    flows = folium.FeatureGroup(name="Flows")
    FlowArcs(data).add_to(flows)
    events = folium.FeatureGroup(name="Events")
    EventMarkers(data).add_to(events)
    end = folium.FeatureGroup(name="end", control=False)
    Legend(legend_html(data)).add_to(end)
    Finish().add_to(end)
    return [start, shade, flows, events, end]


def layer_control() -> folium.LayerControl:
    return folium.LayerControl(position="topright", collapsed=True)


def build_map(data: MapData, *, online: bool | None = None, height: int | str = "100%", shading: bool = True) -> folium.Map:
    """One self-contained folium map of `data` (base map and layers), e.g. to save as HTML
    served from the app's origin. The app itself swaps layers instead (see base_map)."""
    m = base_map(online=online, height=height)
    for group in data_layers(data, shading=shading):
        group.add_to(m)
    layer_control().add_to(m)
    return m
