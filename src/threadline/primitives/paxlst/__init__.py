"""UN/EDIFACT PAXLST passenger and crew lists (D02B and later): parse and write.

Pure functions, no I/O. One interchange (``UNA``? ``UNB`` ... ``UNZ``) holds one or
more ``PAXLST`` messages; each message names its flight legs and its travellers
(``NAD+FL`` passengers, ``NAD+FM`` crew) with their documents.

:func:`parse_paxlst` is strict by default: the first problem raises
:class:`threadline.exc.InputError` naming the segment's position and the reason.
With ``lenient=True`` every traveller with a surname is kept and what could not be
used is listed as :class:`PaxlstProblem` warnings, attached to the traveller or
message they concern.
"""

from threadline.primitives.paxlst.model import (
    PaxlstDocument,
    PaxlstFlight,
    PaxlstLeg,
    PaxlstParseResult,
    PaxlstProblem,
    PaxlstTraveller,
    is_identity_type,
    primary_document,
)
from threadline.primitives.paxlst.reader import parse_paxlst
from threadline.primitives.paxlst.writer import write_paxlst

__all__ = [
    "PaxlstDocument",
    "PaxlstFlight",
    "PaxlstLeg",
    "PaxlstParseResult",
    "PaxlstProblem",
    "PaxlstTraveller",
    "is_identity_type",
    "parse_paxlst",
    "primary_document",
    "write_paxlst",
]
