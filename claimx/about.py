"""Package metadata."""

__version__ = "0.1.0"
RECORD_FORMAT = "claimx-records/v1"
