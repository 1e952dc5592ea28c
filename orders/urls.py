from orders.views import OrderViewSet
from webstore.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("orders", OrderViewSet, basename="order")

urlpatterns = router.urls
