"""Server-rendered web pages (Jinja2, htmx, Cytoscape.js served from the app)."""
