"""Candidates: profile, guided registration, consent and disclosure, data rights."""
