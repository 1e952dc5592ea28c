"""Staff review of rejected payments: the service, the admin action and filter, the store-staff
group's access, and two reviewers at once."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from orders.models import Order
from payments.exceptions import PaymentAlreadyReviewed, PaymentNotReviewable
from payments.models import Payment
from payments.services import payment_mark_reviewed
from payments.tests.conftest import paid_event

CHANGELIST = "/admin/payments/payment/"


@pytest.fixture
def rejected(make_product, make_order, make_rejected_payment) -> Payment:
    return make_rejected_payment(make_order(make_product(price="50.00"), quantity=2))


@pytest.fixture
def succeeded(post_webhook, pending_order) -> Payment:
    assert post_webhook(paid_event(pending_order.pk), event_id="evt_paid").status_code == 200
    return Payment.objects.get(event_id="evt_paid")


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_marking_reviewed_records_who_and_when(rejected):
    before = timezone.now()
    payment = payment_mark_reviewed(payment_id=rejected.pk, actor="clerk")
    stored = Payment.objects.get(pk=rejected.pk)
    assert (stored.reviewed_by, payment.reviewed_by) == ("clerk", "clerk")
    assert before <= stored.reviewed_at <= timezone.now()
    assert list(Payment.objects.to_review()) == []
    assert list(Payment.objects.reviewed()) == [stored]


@pytest.mark.django_db
def test_the_first_review_stands(rejected):
    first = payment_mark_reviewed(payment_id=rejected.pk, actor="clerk")
    with pytest.raises(PaymentAlreadyReviewed) as error:
        payment_mark_reviewed(payment_id=rejected.pk, actor="manager")
    assert error.value.detail == (
        f"Payment {rejected.pk} was already reviewed by clerk "
        f"at {first.reviewed_at:%Y-%m-%d %H:%M:%S} UTC."
    )
    stored = Payment.objects.get(pk=rejected.pk)
    assert (stored.reviewed_by, stored.reviewed_at) == ("clerk", first.reviewed_at)


@pytest.mark.django_db
def test_only_rejected_payments_are_reviewed(succeeded):
    with pytest.raises(PaymentNotReviewable) as error:
        payment_mark_reviewed(payment_id=succeeded.pk, actor="clerk")
    assert error.value.detail == (
        f"Payment {succeeded.pk} is succeeded; only rejected payments are reviewed."
    )
    assert Payment.objects.get(pk=succeeded.pk).reviewed_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "outcome, reviewed_by, reviewed_at",
    [
        ("succeeded", "clerk", "now"),  # only a rejected payment is reviewed
        ("rejected", "", "now"),  # a review says who
        ("rejected", "clerk", None),  # and when
    ],
)
def test_the_database_refuses_an_incomplete_or_misplaced_review(
    rejected, succeeded, outcome, reviewed_by, reviewed_at
):
    payment = rejected if outcome == "rejected" else succeeded
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(
            reviewed_by=reviewed_by, reviewed_at=timezone.now() if reviewed_at else None
        )


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_record_one_review(rejected):
    barrier = Barrier(2)

    def review(actor):
        try:
            barrier.wait()
            return payment_mark_reviewed(payment_id=rejected.pk, actor=actor).reviewed_by
        except PaymentAlreadyReviewed:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = sorted(pool.map(review, ["clerk", "manager"]))
    stored = Payment.objects.get(pk=rejected.pk)
    assert results in (["clerk", "refused"], ["manager", "refused"])
    assert stored.reviewed_by in ("clerk", "manager")
    assert stored.reviewed_by == next(result for result in results if result != "refused")


# --- the admin, as a shop assistant (the "store staff" group) ------------------------------


@pytest.mark.django_db
def test_store_staff_see_payments_read_only(staff_client, rejected):
    assert staff_client.get(CHANGELIST).status_code == 200
    detail = staff_client.get(f"{CHANGELIST}{rejected.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert staff_client.get(f"{CHANGELIST}add/").status_code == 403
    response = staff_client.post(f"{CHANGELIST}{rejected.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Payment.objects.filter(pk=rejected.pk).exists()


@pytest.mark.django_db
def test_store_staff_mark_rejected_payments_reviewed(staff_client, rejected, succeeded):
    response = staff_client.post(
        CHANGELIST,
        {"action": "mark_reviewed", "_selected_action": [rejected.pk, succeeded.pk]},
        follow=True,
    )
    assert messages_of(response) == [
        f"evt_paid was not marked reviewed: Payment {succeeded.pk} is succeeded; only "
        "rejected payments are reviewed.",
        "1 payment marked reviewed.",
    ]
    stored = Payment.objects.get(pk=rejected.pk)
    assert stored.reviewed_by == "clerk"
    assert timezone.now() - stored.reviewed_at < timedelta(minutes=1)
    again = staff_client.post(
        CHANGELIST, {"action": "mark_reviewed", "_selected_action": [rejected.pk]}, follow=True
    )
    assert messages_of(again) == [f"{rejected.event_id} was already reviewed by clerk."]
    page = staff_client.get(f"{CHANGELIST}{rejected.pk}/change/").content.decode()
    assert f"reviewed by clerk, {timezone.localtime(stored.reviewed_at):%Y-%m-%d %H:%M}" in page


@pytest.mark.django_db
def test_staff_without_the_review_permission_cannot_mark(client, django_user_model, rejected):
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_payment"))
    client.force_login(viewer)
    response = client.post(
        CHANGELIST, {"action": "mark_reviewed", "_selected_action": [rejected.pk]}
    )
    assert response.status_code == 200  # the changelist again: no such action for this user
    assert Payment.objects.get(pk=rejected.pk).reviewed_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected", [("", {"a", "b", "paid"}), ("?reviewed=no", {"b"}), ("?reviewed=yes", {"a"})]
)
def test_the_review_filter(
    staff_client, make_product, make_order, make_rejected_payment, succeeded, query, expected
):
    product = make_product()
    first, second = (
        make_rejected_payment(make_order(product, status=Order.Status.PAID)) for _ in "ab"
    )
    payment_mark_reviewed(payment_id=first.pk, actor="clerk")
    names = {first.event_id: "a", second.event_id: "b", succeeded.event_id: "paid"}
    response = staff_client.get(CHANGELIST + query)
    assert {names[p.event_id] for p in response.context["cl"].result_list} == expected
