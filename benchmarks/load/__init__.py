"""make load: Locust against gunicorn on PostgreSQL with the benchmark data set."""
