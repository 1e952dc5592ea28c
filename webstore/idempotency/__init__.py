"""`Idempotency-Key` for create endpoints (an app): the stored first responses, the protocol's
services and errors, and the decorator a viewset's create handler wears."""
