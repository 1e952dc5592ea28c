"""Seeing the service run: request ids and access logs (middleware), HTTP metrics and their
exposition, log formatting, tracing, and the health endpoints."""
