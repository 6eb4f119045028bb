"""Built-in readers. A new format is one module here plus one import line below."""

from threadline.ingest.readers import csv_mapping, ftm_json

__all__ = ["csv_mapping", "ftm_json"]
