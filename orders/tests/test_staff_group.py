"""The "store staff" group from the data migration: what a shop assistant can and cannot do."""

import pytest
from django.contrib.auth.models import Group, Permission

pytestmark = pytest.mark.django_db


def test_group_has_exactly_the_shop_assistant_permissions():
    group = Group.objects.get(name="store staff")
    assert sorted(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("inventory", "add_product"),
        ("inventory", "change_product"),
        ("inventory", "view_product"),
        ("inventory", "view_stockmovement"),
        ("orders", "change_order"),
        ("orders", "view_order"),
        ("payments", "review_payment"),
        ("payments", "view_payment"),
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/inventory/product/",
        "/admin/inventory/product/add/",
        "/admin/inventory/product/import/",
        "/admin/inventory/product/export/",
        "/admin/inventory/stockmovement/",
        "/admin/orders/order/",
        "/admin/orders/order/export/",
        "/admin/inventory/stockmovement/export/",
        "/admin/payments/payment/",
        "/admin/payments/payment/export/",
    ],
)
def test_staff_can_open_the_shop_pages(staff_client, url):
    assert staff_client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/admin/auth/user/", "/admin/auth/user/add/", "/admin/auth/group/", "/admin/auth/group/add/"],
)
def test_staff_cannot_manage_users_or_groups(staff_client, url):
    assert staff_client.get(url).status_code == 403


def test_staff_can_adjust_stock(staff_client, product):
    response = staff_client.get(f"/admin/inventory/product/{product.pk}/adjust-stock/")
    assert response.status_code == 200


def test_staff_user_outside_the_group_sees_no_shop_pages(client, django_user_model, product):
    user = django_user_model.objects.create_user("temp", password="x", is_staff=True)
    client.force_login(user)
    for url in (
        "/admin/inventory/product/",
        f"/admin/inventory/product/{product.pk}/adjust-stock/",
        "/admin/orders/order/",
    ):
        assert client.get(url).status_code == 403


def test_view_only_staff_cannot_adjust_stock_or_run_actions(
    client, django_user_model, product, make_order
):
    user = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_product", "view_order"])
    )
    client.force_login(user)
    assert client.get(f"/admin/inventory/product/{product.pk}/adjust-stock/").status_code == 403
    order = make_order(product)
    response = client.post(
        "/admin/orders/order/", {"action": "cancel_orders", "_selected_action": [order.pk]}
    )
    order.refresh_from_db()
    assert order.status == "PENDING"
    assert response.status_code == 200
