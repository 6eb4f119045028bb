"""Threadline: counter-human-trafficking intelligence platform."""

__version__ = "0.1.0"
