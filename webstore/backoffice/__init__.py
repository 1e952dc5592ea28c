"""Pieces the apps' staff admins share: per-row action reports, domain errors as messages,
read-only admins."""
