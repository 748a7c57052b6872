"""deckwright: talks written as YAML, built into native, editable PowerPoint decks."""

__version__ = "0.1.0"
