"""Entity resolution with Splink: link and deduplicate people and organisations.

Records from every agency's collections are prepared into one flat table
(transliterated names, variant and phonetic keys, partial birth dates,
documents, phones, emails, addresses), scored with a Fellegi-Sunter model
(EM-trained, term-frequency adjusted) on DuckDB or Spark, stored as ``link``
findings with their waterfall of contributions, and grouped into
``link_cluster`` findings. Analysts' judgements always win over the model.
"""

from threadline.linkage.judgements import JUDGEMENTS, Judgement
from threadline.linkage.review import decide_pair, list_clusters, retract_pair, review_queue
from threadline.linkage.service import LinkOptions, LinkRunResult, run_linkage

__all__ = [
    "JUDGEMENTS",
    "Judgement",
    "LinkOptions",
    "LinkRunResult",
    "decide_pair",
    "list_clusters",
    "retract_pair",
    "review_queue",
    "run_linkage",
]
