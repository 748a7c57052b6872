"""The specimen deck `deckwright theme preview` builds: specimen.yaml and its picture."""
