"""The bundled themes: a package only so they install along with deckwright."""
