"""REST API (FastAPI) under /api/v1: thin routers over the service functions."""
