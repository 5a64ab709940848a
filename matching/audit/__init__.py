"""Audit trail: who viewed, exported or erased a candidate's data, and when."""
