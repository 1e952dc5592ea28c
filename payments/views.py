"""The payment webhook: verify the signature on the raw body, parse, process once, answer."""

from django.core.exceptions import RequestDataTooBig
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from payments.exceptions import InvalidWebhookSignature
from payments.metrics import INVALID_REQUEST, INVALID_SIGNATURE, WEBHOOK_EVENTS
from payments.openapi import webhook_schema
from payments.serializers import (
    PaymentEventSerializer,
    PaymentResultSerializer,
    event_id_parse,
    webhook_body_parse,
)
from payments.services import payment_event_receive
from payments.signatures import webhook_signature_verify
from webstore.api.exceptions import DomainError, domain_error_response
from webstore.api.parsers import JSONParser, RequestTooLarge


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
        result = payment_event_receive(
            event_id=event_id, payload=body.decode("utf-8"), **event.validated_data
        )
        WEBHOOK_EVENTS.labels(outcome=result.outcome).inc()
        if result.error is not None:
            # Answered, not raised: a rejected payment stays recorded even when the request
            # runs in one transaction (ATOMIC_REQUESTS), which a raised error would roll back.
            return domain_error_response(result.error)
        return Response(PaymentResultSerializer(result.payment).data)

    def handle_exception(self, exc):
        # Refused before the service decided anything. Database outages are not webhook
        # outcomes: they show as 503 in the request metrics.
        if isinstance(exc, (DomainError, APIException)):
            refused = (
                INVALID_SIGNATURE if isinstance(exc, InvalidWebhookSignature) else INVALID_REQUEST
            )
            WEBHOOK_EVENTS.labels(outcome=refused).inc()
        return super().handle_exception(exc)

    @staticmethod
    def raw_body(request) -> bytes:
        try:
            return request.body
        except RequestDataTooBig:
            raise RequestTooLarge() from None
