"""Answers: field lookups, prose quotes, the field-vs-prose choice, which-cities judgements, history."""
