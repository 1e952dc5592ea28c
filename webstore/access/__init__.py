"""Who may call the API: API keys (an app: model, admin, commands), DRF authentication and
permissions, rate limits, the metrics scraper's token, and their errors and OpenAPI parts."""
