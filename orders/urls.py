
from orders.views import OrderViewSet
from webstore.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("orders", OrderViewSet, basename="order")

urlpatterns = router.urls
