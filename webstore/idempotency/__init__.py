"""`Idempotency-Key` for create endpoints (an app): the stored first responses, the protocol's
services, errors and OpenAPI parts, and the decorator a viewset's create handler wears."""
