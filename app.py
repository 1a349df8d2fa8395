"""Dateline's entry point: `streamlit run app.py` (what `make run` does) serves the app.

Streamlit finds `app` below, an st.App, and serves this file through it; then, for every
session, it runs this file as `__main__`, which draws the navigation and runs the chosen page:
the map (pages/0_Map.py) first.
"""

import streamlit as st


if __name__ == "__main__":
    import app_state

    from geo.text.version import parser_version

    @st.cache_data(max_entries=8, show_spinner=False)
    def parser_versions(url: str, state: str) -> dict:
        return app_state.open_store(url).parser_versions()

    def parser_notice() -> None:
        """Say in the sidebar, on every page, when stored articles were parsed by an older parser."""
        store = app_state.get_store()
        versions = parser_versions(store.url, app_state.store_state(store.url))
        older = sum(n for v, n in versions.items() if v != parser_version())
        if older:
            st.sidebar.warning(
                f"{older:,} of {sum(versions.values()):,} articles were parsed by an older version of the parser: "
                "`python -m geo reparse` updates them and keeps every correction.",
                icon=":material/update:",
            )

    # Titles of our own: Streamlit would otherwise name the pages after their files.
    page = st.navigation(
        [
            st.Page("pages/0_Map.py", title="Map", default=True),
            st.Page("pages/1_Ingest.py", title="Ingest", url_path="Ingest"),
            st.Page("pages/2_Events.py", title="Events", url_path="Events"),
            st.Page("pages/3_Export.py", title="Export", url_path="Export"),
            st.Page("pages/4_Corrections.py", title="Corrections", url_path="Corrections"),
        ]
    )
    app_state.begin_page(page.url_path)
    with app_state.page_guard():  # a failing page shows a plain message, never a traceback
        parser_notice()
        page.run()
else:
    # Imported by the ASGI server, before any session: import nothing of the pages here, or
    # their st.cache_data functions would be made without Streamlit's runtime.
    # Streamlit compresses its own responses but leaves its 4 MB frontend bundle (/static/) and
    # the root page to a reverse proxy; Dateline runs on a laptop with no proxy, so compression
    # goes in front: the bundle's files are content-hashed and never change, so each is
    # compressed once per server (CachedGZip) rather than on every request; the root page is
    # compressed per request. What Streamlit already compressed passes through untouched.
    # `streamlit run` looks for this assignment literally: an st.App call bound to `app`.
    from streamlit.runtime.pages_manager import PagesManager

    from geo.web.series_route import routes
    from geo.web.static_gzip import compression

    # With pages/ beside this file, Streamlit would run each process in its older directory-based
    # navigation (this file listed as "app", pages run without it) until some session opens the
    # root page and reaches st.navigation; a first visitor to /Ingest would see that. This app
    # always navigates with st.navigation. (streamlit is pinned: this is not public API.)
    PagesManager.uses_pages_directory = False

    # One route of our own: the playback's series, asked for when a reader presses play.
    app = st.App(__file__, middleware=compression(immutable=["/static/"]), routes=routes())
