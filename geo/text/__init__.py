"""Text to events: spaCy's parse, place mentions, their places, dates and events (`Pipeline`).

May import geo.model, geo.settings and geo.gazetteer; never the store or the web side.
"""
