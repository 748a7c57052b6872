"""The content model: a validated Deck of typed slides."""
