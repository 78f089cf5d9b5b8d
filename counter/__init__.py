"""Self-hosted visit counter for the static site (see docs/COUNTER.md)."""
