"""Citation formatters built into scholarcli (no network, no external program)."""
