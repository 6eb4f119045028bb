"""The small exception hierarchy every layer raises.

Interfaces turn these into one clear line (CLI, exit code 2) or a problem+json
response (API); anything else is a bug and keeps its traceback.
"""


class ThreadlineError(Exception):
    """Base class for every error Threadline reports to a user."""


class InputError(ThreadlineError):
    """The user's input (a file, an argument, a record) cannot be used as given."""


class NotFound(ThreadlineError):
    """A named object (collection, job, entity, ...) does not exist or is not visible."""


class ConfigError(ThreadlineError):
    """The settings or the environment are inconsistent."""


class StoreError(ThreadlineError):
    """The store cannot be reached or is not at the expected schema version."""


class NotMeasured(Exception):
    """An evaluation task cannot be measured on this store; the message says why."""
