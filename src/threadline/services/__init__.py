"""Service functions: the one entry point each interface (CLI, API, web) calls."""
