"""Browser journeys and accessibility checks (make e2e)."""
