"""Built-in readers. A new format is one module here plus its name in the import below.

Import order does not matter: detection tries readers that recognise a file by its
content before generic ones (``Reader.generic``), see ``registry.detection_order``.
"""

from threadline.ingest.readers import (
    ads,
    csv_mapping,
    ftm_json,
    manifests,
    notices,
    travel_documents,
    xlsx,
)

__all__ = ["ads", "csv_mapping", "ftm_json", "manifests", "notices", "travel_documents", "xlsx"]
