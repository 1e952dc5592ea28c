
from inventory.views import ProductViewSet
from webstore.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("products", ProductViewSet, basename="product")

urlpatterns = router.urls
