"""Writers turn a DeckPlan (or the Deck) into files: pptx, Markdown, PDF and PNG."""
