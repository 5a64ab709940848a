"""The diagnostic survey: campaigns, per-organisation links, responses and results."""
