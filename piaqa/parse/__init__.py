"""Parsers for the national assessment form: metadata, sections, fields."""
