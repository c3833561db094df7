"""Catalog entries for losses and for the layers backpropagation goes
through, one module per family; see ``catalog`` and ``losses.model``."""
