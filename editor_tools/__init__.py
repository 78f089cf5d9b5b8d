"""Editors' tools that are not Pelican plugins: `invoke new`, `invoke import-legacy` and the live preview."""
