"""The browser side of the map: folium layers, popups, offline assets and the server's compression.

May import every other geo package; never streamlit (the UI in app.py and pages/ calls this).
"""
