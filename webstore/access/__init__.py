"""Who may call the API: API keys (an app: model, admin, commands), DRF authentication and
permissions, rate limits, and the metrics scraper's token."""
