"""Built-in readers. A new format is one module here plus one import line below."""

# Readers that recognise a CSV by its header register before the generic CSV reader,
# which claims every *.csv (detection tries readers in registration order).
from threadline.ingest.readers import manifests, notices, travel_documents

# isort: split
from threadline.ingest.readers import ads, csv_mapping, ftm_json

__all__ = ["ads", "csv_mapping", "ftm_json", "manifests", "notices", "travel_documents"]
