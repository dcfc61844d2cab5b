"""A trained BIO tagger for attribution sources, cues and contents (``claimx_tagger``)."""
