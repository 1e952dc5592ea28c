from inventory.views import ProductViewSet
from webstore.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("products", ProductViewSet, basename="product")

urlpatterns = router.urls
