"""claimx evaluation: loaders, metrics, benchmark tasks and reports (see README.md here)."""
