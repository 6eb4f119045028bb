"""Request and answer models of the API routers whose shapes are too many to sit beside them."""
