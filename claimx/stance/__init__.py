"""claimx stance component."""
