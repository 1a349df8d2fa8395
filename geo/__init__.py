"""Dateline's library: text -> mentions -> places -> events -> store -> frames/maps/export.

Nothing here imports streamlit; the UI (app.py, pages/) calls into this package.
"""

__version__ = "0.1.0"
