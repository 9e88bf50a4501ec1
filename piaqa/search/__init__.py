"""Search: Sudachi tokens, the e5 embedder and its offline build, the on-disk index, retrieval over chunks, units and field labels."""
