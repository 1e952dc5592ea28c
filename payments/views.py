"""The payment webhook: verify the signature on the raw body, parse, process once, answer."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.utils.decorators import method_decorator
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from payments.exceptions import EventAlreadyProcessed, InvalidWebhookSignature, PaymentRejected
from payments.metrics import WEBHOOK_EVENTS
from payments.openapi import webhook_schema
from payments.serializers import (
    PaymentEventSerializer,
    PaymentResultSerializer,
    event_id_parse,
    webhook_body_parse,
)
from payments.services import payment_event_receive
from payments.signatures import webhook_signature_verify
from webstore.api.exceptions import DomainError
from webstore.api.parsers import JSONParser, RequestTooLarge

# The `outcome` label of a call that raised; the first matching class wins. Calls that
# succeed are labelled with their recorded outcome (succeeded or ignored). Database outages
# are not webhook outcomes: they show as 503 in the request metrics.
_OUTCOME_BY_ERROR = (
    (InvalidWebhookSignature, "invalid_signature"),
    (EventAlreadyProcessed, "duplicate"),
    (PaymentRejected, "rejected"),
    ((DomainError, APIException), "invalid_request"),
)


# A rejected payment is committed before its 409 is raised; even with ATOMIC_REQUESTS on, no
# request-wide transaction may roll that record back.
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class PaymentWebhookView(APIView):
    """POST /webhooks/payment: the payment provider's signed events, each processed once."""

    # Documents the JSON body; the view itself reads the raw bytes, which the signature covers.
    parser_classes = [JSONParser]
    # The provider proves itself with the signature: no API key, and no rate limit that would
    # turn a burst of retries into lost events.
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @webhook_schema
    def post(self, request):
        body = self.raw_body(request)
        webhook_signature_verify(
            body=body,
            signature=request.headers.get("X-Webhook-Signature"),
            timestamp=request.headers.get("X-Webhook-Timestamp"),
        )
        event_id = event_id_parse(request.headers.get("X-Event-Id"))
        event = PaymentEventSerializer(data=webhook_body_parse(body))
        event.is_valid(raise_exception=True)
        payment = payment_event_receive(
            event_id=event_id, payload=body.decode("utf-8"), **event.validated_data
        )
        WEBHOOK_EVENTS.labels(outcome=payment.outcome).inc()
        return Response(PaymentResultSerializer(payment).data)

    def handle_exception(self, exc):
        outcome = next((name for kind, name in _OUTCOME_BY_ERROR if isinstance(exc, kind)), None)
        if outcome is not None:
            WEBHOOK_EVENTS.labels(outcome=outcome).inc()
        return super().handle_exception(exc)

    @staticmethod
    def raw_body(request) -> bytes:
        try:
            return request.body
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            raise RequestTooLarge(f"Request body too large (limit {limit} bytes).") from None
