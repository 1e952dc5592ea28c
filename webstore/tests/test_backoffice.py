"""The store's admin site: its name on every page, and the dashboard on the index: each figure,
the list it links to, the chart, who sees what, and a constant number of queries."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from inventory.services import product_archive
from orders.models import Order
from payments.services import payment_mark_reviewed
from webstore.backoffice.dashboard import DashboardDays

pytestmark = pytest.mark.django_db

FIGURE = re.compile(
    r'<a class="dashboard-figure[^"]*" href="(?P<url>[^"]+)">.*?'
    r'data-metric="(?P<metric>\w+)">(?P<value>[^<]*)<',
    re.DOTALL,
)
METRICS = [
    "orders_today",
    "pending_orders",
    "paid_orders",
    "revenue_today",
    "revenue_7d",
    "low_stock",
    "payments_to_review",
]


def dashboard(client) -> dict[str, tuple[str, str]]:
    """{metric: (figure text, link)} as the admin index shows them."""
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('id="store-dashboard"') == 1
    return {
        match["metric"]: (match["value"], unescape(match["url"])) for match in FIGURE.finditer(html)
    }


def listed(client, url) -> list:
    response = client.get(url)
    assert response.status_code == 200, url
    return list(response.context["cl"].queryset)


def placed_at(order: Order, when) -> Order:
    Order.objects.filter(pk=order.pk).update(created_at=when)
    order.refresh_from_db()
    return order


@pytest.fixture(params=["UTC", "Pacific/Kiritimati", "America/Los_Angeles"])
def time_zone(request, settings) -> str:
    """The back office's days are TIME_ZONE's: far east of UTC, far west, and UTC itself."""
    settings.TIME_ZONE = request.param
    return request.param


@pytest.fixture
def shop(time_zone, make_product, make_order, make_rejected_payment):
    """Orders around today's and the week's edges, stock at and around reorder levels, and
    rejected payments (one reviewed)."""
    days = DashboardDays.current()
    today = days.start(days.today)
    mug = make_product(sku="MUG", price="10.00", stock=100)
    tea = make_product(sku="TEA", price="2.50", stock=100)
    orders = {
        # Today: every status; revenue only from PAID and SHIPPED.
        "pending": make_order(mug, quantity=1),
        "paid": make_order(mug, quantity=2, status=Order.Status.PAID),
        "shipped": make_order(tea, quantity=4, status=Order.Status.SHIPPED),
        "canceled": make_order(mug, quantity=5, status=Order.Status.CANCELED),
        # Just before midnight: yesterday (inside the last 7 days).
        "yesterday": make_order(mug, quantity=3, status=Order.Status.PAID),
        # The first minute of the 7th day back counts; the last minute before it does not.
        "week_edge": make_order(tea, quantity=2, status=Order.Status.SHIPPED),
        "too_old": make_order(mug, quantity=7, status=Order.Status.SHIPPED),
        "old_pending": make_order(tea, quantity=1),
    }
    placed_at(orders["pending"], today)
    placed_at(orders["yesterday"], today - timedelta(seconds=1))
    placed_at(orders["week_edge"], days.start(days.today - timedelta(days=6)))
    placed_at(orders["too_old"], days.start(days.today - timedelta(days=6)) - timedelta(seconds=1))
    placed_at(orders["old_pending"], today - timedelta(days=30))
    # Stock: low, out, archived (not counted), above the level (not counted).
    make_product(sku="LOW", stock=5)
    make_product(sku="OUT", stock=0)
    product_archive(product_id=make_product(sku="GONE", stock=0).pk)
    make_product(sku="PLENTY", stock=6)
    rejected = [make_rejected_payment(orders["shipped"]) for _ in range(3)]
    payment_mark_reviewed(payment_id=rejected[0].pk, actor="someone")
    return orders


def test_every_figure_and_its_link(staff_client, shop):
    figures = dashboard(staff_client)
    assert list(figures) == METRICS
    assert {metric: value for metric, (value, _) in figures.items()} == {
        "orders_today": "4",
        "pending_orders": "2",
        "paid_orders": "2",
        "revenue_today": "30.00",  # 2 x 10.00 paid + 4 x 2.50 shipped
        "revenue_7d": "65.00",  # + 3 x 10.00 yesterday + 2 x 2.50 six days ago
        "low_stock": "2",
        "payments_to_review": "2",
    }
    days = DashboardDays.current()
    today = {"created_at__gte": str(days.start(days.today)), "created_at__lt": str(days.span(1)[1])}
    week = {**today, "created_at__gte": str(days.start(days.today - timedelta(days=6)))}
    revenue = {"status__in": "PAID,SHIPPED"}
    assert {metric: link(url) for metric, (_, url) in figures.items()} == {
        "orders_today": ("/admin/orders/order/", today),
        "pending_orders": ("/admin/orders/order/", {"status__exact": "PENDING"}),
        "paid_orders": ("/admin/orders/order/", {"status__exact": "PAID"}),
        "revenue_today": ("/admin/orders/order/", {**revenue, **today}),
        "revenue_7d": ("/admin/orders/order/", {**revenue, **week}),
        "low_stock": ("/admin/inventory/product/", {"reorder": "needed"}),
        "payments_to_review": ("/admin/payments/payment/", {"reviewed": "no"}),
    }


def link(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    return parts.path, dict(parse_qsl(parts.query))


def test_each_link_lists_exactly_what_its_figure_counts(staff_client, shop):
    figures = dashboard(staff_client)
    for metric in ("orders_today", "pending_orders", "paid_orders", "low_stock"):
        value, url = figures[metric]
        assert len(listed(staff_client, url)) == int(value), metric
    for metric in ("revenue_today", "revenue_7d"):
        value, url = figures[metric]
        assert sum(order.total_price for order in listed(staff_client, url)) == Decimal(value)
    value, url = figures["payments_to_review"]
    to_review = listed(staff_client, url)
    assert len(to_review) == int(value)
    assert {(p.outcome, p.reviewed_at) for p in to_review} == {("rejected", None)}


# The admin's own: the session, its user, the user's and their groups' permissions, the
# recent-actions log; the dashboard's: orders per day, orders by status, products to reorder,
# payments to review.
INDEX_QUERIES = 5 + 4


def test_the_dashboard_costs_the_same_queries_with_no_rows_and_many(
    staff_client, django_assert_num_queries, make_product, make_order, make_rejected_payment
):
    with django_assert_num_queries(INDEX_QUERIES):
        assert dashboard(staff_client)["orders_today"][0] == "0"
    product = make_product(stock=500)
    for _ in range(60):
        make_rejected_payment(make_order(product, status=Order.Status.SHIPPED))
    for number in range(40):
        make_product(stock=number % 3)
    with django_assert_num_queries(INDEX_QUERIES):
        figures = dashboard(staff_client)
    assert (figures["orders_today"][0], figures["payments_to_review"][0]) == ("60", "60")
    assert figures["low_stock"][0] == "40"


def test_the_chart_shows_the_last_14_days_oldest_first(staff_client, shop):
    html = staff_client.get("/admin/").content.decode()
    start = html.index('<svg class="bar-line-chart"')
    chart = html[start : html.index("</svg>", start)]
    titles = re.findall(r"<rect [^>]*><title>([^<]*)</title>", chart)
    days = DashboardDays.current().last(14)
    assert len(titles) == 14
    assert titles[-1] == f"{days[-1]:%a %d %b}: 4 order(s), 30.00 USD revenue"
    assert titles[-2] == f"{days[-2]:%a %d %b}: 1 order(s), 30.00 USD revenue"
    assert titles[0] == f"{days[0]:%a %d %b}: 0 order(s), 0.00 USD revenue"
    assert "Orders and revenue, last 14 days" in html


def test_figures_show_only_to_staff_who_may_see_the_list_behind_them(
    client, django_user_model, shop
):
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(viewer)
    assert list(dashboard(client)) == METRICS[:5]
    viewer.user_permissions.set([Permission.objects.get(codename="view_payment")])
    client.force_login(viewer)
    assert list(dashboard(client)) == ["payments_to_review"]
    assert "bar-line-chart" not in client.get("/admin/").content.decode()


def test_a_superuser_sees_every_figure(admin_client, shop):
    assert list(dashboard(admin_client)) == METRICS


@pytest.mark.parametrize(
    "url", ["/admin/login/", "/admin/", "/admin/orders/order/", "/admin/payments/payment/"]
)
def test_the_store_name_is_on_every_admin_page(url, settings, admin_user):
    settings.STORE_NAME = "Corner Shop"
    client = Client()
    if url != "/admin/login/":
        client.force_login(admin_user)
    html = client.get(url).content.decode()
    assert '<div id="site-name"><a href="/admin/">Corner Shop</a></div>' in html
    assert re.search(r"<title>[^<]*\| Corner Shop</title>", html)
    assert "Django" not in html.replace("django", "")


def test_the_default_store_name():
    html = Client().get("/admin/login/").content.decode()
    assert "<title>Log in | Orders &amp; Inventory</title>" in html
    assert '<a href="/admin/">Orders &amp; Inventory</a>' in html


def test_a_cart_counts_as_one_order_and_its_revenue_is_all_its_lines(
    staff_client, make_product, make_order
):
    mug, tea = make_product(price="10.00"), make_product(price="2.50")
    make_order(items=[(mug, 2), (tea, 4)], status=Order.Status.PAID)
    make_order(items=[(mug, 1), (tea, 1)])
    figures = {metric: value for metric, (value, _) in dashboard(staff_client).items()}
    assert (figures["orders_today"], figures["paid_orders"], figures["pending_orders"]) == (
        "2",
        "1",
        "1",
    )
    assert (figures["revenue_today"], figures["revenue_7d"]) == ("30.00", "30.00")
