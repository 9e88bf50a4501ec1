"""Understanding: question -> Query (cities, 事務, qualifiers, answer types, glossary), which-cities conditions, follow-ups."""
