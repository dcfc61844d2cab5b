"""claimx speakers component."""
