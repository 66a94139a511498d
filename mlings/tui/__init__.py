"""The views of watch mode, as Textual screens; ``mlings.watch`` holds the session they show."""
