"""Catalog entries, one module per family of activations; see ``catalog``."""
