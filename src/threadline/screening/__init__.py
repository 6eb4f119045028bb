"""Screening: watchlist index, person and document scoring, MRZ, manifests, victim-risk indicators."""
