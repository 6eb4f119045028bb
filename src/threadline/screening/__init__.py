"""Screening: watchlists, person and document checks, MRZ, manifests, victim-risk indicators."""
