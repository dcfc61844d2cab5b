"""claimx attribution component."""
