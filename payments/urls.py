from django.urls import re_path

from payments.views import PaymentWebhookView

urlpatterns = [
    re_path(r"^webhooks/payment/?$", PaymentWebhookView.as_view(), name="payment-webhook"),
]
