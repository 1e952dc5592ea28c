"""The URL router shared by the apps."""

from rest_framework.routers import SimpleRouter


class OptionalSlashRouter(SimpleRouter):
    """Routes answering with and without the trailing slash (`/orders`, `/orders/`), no redirect."""

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"
