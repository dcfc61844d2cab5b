"""claimx facts component."""
