"""The product and stock-ledger admin, driven as a logged-in store-staff user."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from import_export.tmp_storages import TempFolderStorage

from inventory.models import Product, StockMovement
from inventory.services import product_archive, product_create

pytestmark = pytest.mark.django_db

PRODUCTS = "/admin/inventory/product/"
MOVEMENTS = "/admin/inventory/stockmovement/"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def listed_skus(response) -> list[str]:
    return [product.sku for product in response.context["cl"].result_list]


def assert_ledger_matches(product: Product) -> None:
    product.refresh_from_db()
    assert product.stock == product.movements.aggregate(total=Sum("delta"))["total"]


@pytest.fixture
def catalog(make_product):
    """One product per stock status (reorder level 5), plus an archived one."""
    products = {
        "in": make_product(sku="IN-1", name="Plenty", stock=50),
        "low": make_product(sku="LOW-1", name="Few left", stock=5),
        "out": make_product(sku="OUT-1", name="Sold out", stock=0),
        "archived": make_product(sku="OLD-1", name="Retired", stock=3),
    }
    product_archive(product_id=products["archived"].pk)
    return products


def test_changelist_shows_every_product_with_its_stock_status(staff_client, catalog):
    response = staff_client.get(PRODUCTS)
    assert response.status_code == 200
    assert sorted(listed_skus(response)) == ["IN-1", "LOW-1", "OLD-1", "OUT-1"]
    html = response.content.decode()
    for label in ("In stock", "Low stock", "Out of stock", "Archived"):
        assert f'<td class="field-stock_status">{label}</td>' in html


@pytest.mark.parametrize(
    ("status", "expected"),
    [("in_stock", ["IN-1"]), ("low", ["LOW-1"]), ("out", ["OUT-1"]), ("archived", ["OLD-1"])],
)
def test_stock_status_filter(staff_client, catalog, status, expected):
    response = staff_client.get(PRODUCTS, {"stock_status": status})
    assert response.status_code == 200
    assert listed_skus(response) == expected


def test_low_stock_follows_each_products_reorder_level(staff_client, make_product):
    make_product(sku="A", stock=8)
    product_create(
        sku="B", name="Big reorder level", price=Decimal("1.00"), stock=8, reorder_level=10
    )
    response = staff_client.get(PRODUCTS, {"stock_status": "low"})
    assert listed_skus(response) == ["B"]


@pytest.mark.parametrize(
    ("term", "expected"), [("LOW", ["LOW-1"]), ("sold", ["OUT-1"]), ("zzz", [])]
)
def test_search_by_sku_and_name(staff_client, catalog, term, expected):
    response = staff_client.get(PRODUCTS, {"q": term})
    assert response.status_code == 200
    assert listed_skus(response) == expected


def test_add_product_goes_through_the_service_and_starts_the_ledger(staff_client):
    response = staff_client.post(
        f"{PRODUCTS}add/",
        {"sku": "NEW-1", "name": "Fresh", "price": "12.50", "stock": "7", "reorder_level": "2"},
    )
    assert response.status_code == 302
    product = Product.objects.get(sku="NEW-1")
    assert (product.name, product.price, product.stock, product.reorder_level) == (
        "Fresh",
        Decimal("12.50"),
        7,
        2,
    )
    movement = product.movements.get()
    assert (movement.delta, movement.reason, movement.actor) == (7, "initial", "clerk")


def test_add_form_reorder_level_defaults_to_the_setting(staff_client, settings):
    settings.LOW_STOCK_THRESHOLD = 9
    response = staff_client.get(f"{PRODUCTS}add/")
    assert response.context["adminform"].form["reorder_level"].value() == 9


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sku": "PROD-001"}, "sku"),
        ({"price": "0"}, "price"),
        ({"price": "1.999"}, "price"),
        ({"stock": "-1"}, "stock"),
        ({"reorder_level": "-1"}, "reorder_level"),
    ],
)
def test_add_form_rejects_bad_input_and_creates_nothing(staff_client, product, changes, field):
    data = {"sku": "NEW-2", "name": "Fresh", "price": "1.00", "stock": "1", "reorder_level": "5"}
    response = staff_client.post(f"{PRODUCTS}add/", {**data, **changes})
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert Product.objects.count() == 1


def test_change_form_edits_the_catalog_but_never_stock(staff_client, product):
    response = staff_client.post(
        f"{PRODUCTS}{product.pk}/change/",
        {
            "sku": "PROD-001",
            "name": "Laptop Pro",
            "price": "1099.00",
            "reorder_level": "3",
            "stock": "0",
        },
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.name, product.price, product.reorder_level, product.stock) == (
        "Laptop Pro",
        Decimal("1099.00"),
        3,
        50,
    )
    assert product.movements.count() == 1


def test_change_form_refuses_a_sku_of_another_live_product(staff_client, product, make_product):
    other = make_product(sku="OTHER")
    response = staff_client.post(
        f"{PRODUCTS}{other.pk}/change/",
        {"sku": "PROD-001", "name": "x", "price": "1.00", "reorder_level": "5"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["sku"] == [
        "Product with SKU 'PROD-001' already exists."
    ]
    other.refresh_from_db()
    assert other.sku == "OTHER"


def test_product_page_shows_movement_history_newest_first_and_the_adjust_link(
    staff_client, product
):
    for delta in (3, -2):
        staff_client.post(
            f"{PRODUCTS}{product.pk}/adjust-stock/",
            # Notes no random token (CSRF) can contain, so their positions in the page are theirs.
            {
                "mode": "delta",
                "quantity": str(delta),
                "reason": "adjustment",
                "note": f"count {delta:+d}",
            },
        )
    response = staff_client.get(f"{PRODUCTS}{product.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{PRODUCTS}{product.pk}/adjust-stock/"' in html
    assert html.index("count -2") < html.index("count +3") < html.index("Initial stock")
    assert f'href="{MOVEMENTS}?product={product.pk}"' in html


def test_adjust_stock_by_delta_writes_one_ledger_row(staff_client, product):
    response = staff_client.post(
        f"{PRODUCTS}{product.pk}/adjust-stock/",
        {"mode": "delta", "quantity": "12", "reason": "restock", "note": "delivery 4711"},
        follow=True,
    )
    assert response.redirect_chain == [(f"{PRODUCTS}{product.pk}/change/", 302)]
    assert messages_of(response) == ["PROD-001: stock changed by +12 (Restock), now 62."]
    movement = product.movements.first()
    assert (movement.delta, movement.reason, movement.actor, movement.note) == (
        12,
        "restock",
        "clerk",
        "delivery 4711",
    )
    product.refresh_from_db()
    assert product.stock == 62
    assert_ledger_matches(product)


def test_adjust_stock_to_a_counted_number_records_the_difference(staff_client, product):
    response = staff_client.post(
        f"{PRODUCTS}{product.pk}/adjust-stock/",
        {"mode": "count", "quantity": "46", "reason": "adjustment", "note": "stocktake"},
        follow=True,
    )
    assert messages_of(response) == ["PROD-001: stock changed by -4 (Adjustment), now 46."]
    movement = product.movements.first()
    assert (movement.delta, movement.reason, movement.note) == (-4, "adjustment", "stocktake")
    assert_ledger_matches(product)


def test_adjust_stock_to_the_current_count_records_nothing(staff_client, product):
    response = staff_client.post(
        f"{PRODUCTS}{product.pk}/adjust-stock/",
        {"mode": "count", "quantity": "50", "reason": "adjustment"},
        follow=True,
    )
    assert messages_of(response) == ["PROD-001: stock is already 50; nothing recorded."]
    assert product.movements.count() == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"mode": "delta", "quantity": "-51"}, "Stock cannot go below zero: 50 on hand."),
        ({"mode": "delta", "quantity": "0"}, "A change of 0 changes nothing."),
        ({"mode": "count", "quantity": "-1"}, "A counted number cannot be negative."),
        ({"mode": "delta", "quantity": "lots"}, "Enter a whole number."),
        (
            {"mode": "delta", "quantity": "99999999999"},
            "Ensure this value is less than or equal to 2147483647.",
        ),
    ],
)
def test_adjust_stock_rejects_bad_changes_and_writes_nothing(staff_client, product, data, error):
    response = staff_client.post(
        f"{PRODUCTS}{product.pk}/adjust-stock/", {"reason": "adjustment", **data}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["quantity"] == [error]
    product.refresh_from_db()
    assert product.stock == 50
    assert product.movements.count() == 1


def test_adjust_stock_rejects_reasons_reserved_for_orders(staff_client, product):
    response = staff_client.post(
        f"{PRODUCTS}{product.pk}/adjust-stock/",
        {"mode": "delta", "quantity": "1", "reason": "order_canceled"},
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert product.movements.count() == 1


def test_adjust_stock_page_of_an_unknown_product_redirects_with_a_message(staff_client):
    response = staff_client.get(f"{PRODUCTS}999/adjust-stock/", follow=True)
    assert response.status_code == 200
    assert messages_of(response) == ["product with ID “999” doesn’t exist. Perhaps it was deleted?"]


def test_archive_and_restore_actions_report_each_row(staff_client, catalog):
    archived, live = catalog["archived"], catalog["in"]
    response = staff_client.post(
        PRODUCTS,
        {"action": "archive_products", "_selected_action": [live.pk, archived.pk]},
        follow=True,
    )
    assert messages_of(response) == ["OLD-1 is already archived.", "1 product archived."]
    live.refresh_from_db()
    assert live.is_archived

    response = staff_client.post(
        PRODUCTS,
        {
            "action": "restore_products",
            "_selected_action": [live.pk, archived.pk, catalog["low"].pk],
        },
        follow=True,
    )
    assert messages_of(response) == ["LOW-1 is not archived.", "2 products restored."]
    assert Product.objects.archived().count() == 0


def test_restore_reports_a_reused_sku_without_failing_the_others(staff_client, make_product):
    first = make_product(sku="DUP")
    product_archive(product_id=first.pk)
    make_product(sku="DUP")
    other = make_product(sku="OK")
    product_archive(product_id=other.pk)
    response = staff_client.post(
        PRODUCTS,
        {"action": "restore_products", "_selected_action": [first.pk, other.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert messages_of(response) == [
        f"DUP (id {first.pk}) was not restored: Product with SKU 'DUP' already exists",
        "1 product restored.",
    ]
    first.refresh_from_db()
    other.refresh_from_db()
    assert first.is_archived and not other.is_archived


def test_products_cannot_be_deleted_in_the_admin(staff_client, product, admin_client):
    for client in (staff_client, admin_client):
        assert client.get(f"{PRODUCTS}{product.pk}/delete/").status_code == 403
    assert Product.objects.filter(pk=product.pk).exists()


# --- CSV import / export ------------------------------------------------------------------


def export_csv(client) -> str:
    fields = {
        f"productresource_{name}": "on"
        for name in ("sku", "name", "price", "stock", "reorder_level")
    }
    response = client.post(f"{PRODUCTS}export/", {"format": "0", "resource": "0", **fields})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8-sig")


def import_csv(client, text: str):
    """Uploads a CSV (the dry run); confirms it when the dry run found no errors."""
    upload = SimpleUploadedFile("products.csv", text.encode(), content_type="text/csv")
    preview = client.post(
        f"{PRODUCTS}import/", {"resource": "0", "format": "0", "import_file": upload}
    )
    assert preview.status_code == 200
    confirm = preview.context.get("confirm_form")
    if confirm is None:
        return preview
    return client.post(f"{PRODUCTS}process_import/", confirm.initial, follow=True)


def test_export_writes_live_products_as_csv(staff_client, catalog):
    rows = list(csv.DictReader(io.StringIO(export_csv(staff_client))))
    assert rows == [
        {"sku": "IN-1", "name": "Plenty", "price": "19.99", "stock": "50", "reorder_level": "5"},
        {"sku": "LOW-1", "name": "Few left", "price": "19.99", "stock": "5", "reorder_level": "5"},
        {"sku": "OUT-1", "name": "Sold out", "price": "19.99", "stock": "0", "reorder_level": "5"},
    ]


def test_csv_round_trip_export_then_import_keeps_the_same_data(staff_client, catalog):
    before = export_csv(staff_client)
    movements = StockMovement.objects.count()
    response = import_csv(staff_client, before)
    assert response.redirect_chain == [(PRODUCTS, 302)]
    assert export_csv(staff_client) == before
    assert StockMovement.objects.count() == movements


def test_import_updates_and_creates_through_the_ledger(staff_client, catalog):
    text = (
        "sku,name,price,stock,reorder_level\n"
        "IN-1,Plenty,19.99,42,5\n"
        "LOW-1,Few left (new name),21.00,5,2\n"
        "NEW-9,Brand new,3.50,11,4\n"
    )
    response = import_csv(staff_client, text)
    assert response.redirect_chain == [(PRODUCTS, 302)]
    in_stock = Product.objects.get(sku="IN-1")
    assert in_stock.stock == 42
    change = in_stock.movements.first()
    assert (change.delta, change.reason, change.actor, change.note) == (
        -8,
        "import",
        "clerk",
        "CSV import",
    )
    low = Product.objects.get(sku="LOW-1")
    assert (low.name, low.price, low.reorder_level, low.movements.count()) == (
        "Few left (new name)",
        Decimal("21.00"),
        2,
        1,
    )
    new = Product.objects.get(sku="NEW-9")
    assert (new.name, new.price, new.stock, new.reorder_level) == (
        "Brand new",
        Decimal("3.50"),
        11,
        4,
    )
    first = new.movements.get()
    assert (first.delta, first.reason, first.actor) == (11, "import", "clerk")
    for product in Product.objects.all():
        assert_ledger_matches(product)


@pytest.mark.parametrize(
    ("bad_row", "field"),
    [
        ("LOW-1,Few left,19.99,-3,5", "stock"),
        ("LOW-1,Few left,-1.00,5,5", "price"),
        ("LOW-1,Few left,1.999,5,5", "price"),
        ("NEW-2,,1.00,5,5", "name"),
        ("IN-1,Again,1.00,5,5", "sku"),
        ("NEW-3,Long,1.00,5,-1", "reorder_level"),
    ],
)
def test_a_bad_row_imports_nothing_and_is_reported(staff_client, catalog, bad_row, field):
    before = export_csv(staff_client)
    movements = StockMovement.objects.count()
    text = (
        "sku,name,price,stock,reorder_level\n"
        "IN-1,Plenty,19.99,1,5\n"
        "NEW-1,Would be new,2.00,3,5\n"
        f"{bad_row}\n"
    )
    response = import_csv(staff_client, text)
    assert "confirm_form" not in response.context
    result = response.context["result"]
    assert [(row.number, sorted(row.field_specific_errors)) for row in result.invalid_rows] == [
        (3, [field])
    ]
    assert result.row_errors() == []
    assert export_csv(staff_client) == before
    assert StockMovement.objects.count() == movements
    assert not Product.objects.filter(sku__in=["NEW-1", "NEW-2", "NEW-3"]).exists()


@pytest.mark.parametrize(
    ("cells", "field", "message"),
    [
        ("19.99,many,5", "stock", "Enter a whole number."),
        ("19.99,2.5,5", "stock", "Enter a whole number."),
        ("cheap,1,5", "price", "Enter a number."),
        ("19.99,1,", "reorder_level", "This field cannot be null."),
    ],
)
def test_an_unreadable_cell_imports_nothing_and_is_reported(
    staff_client, catalog, cells, field, message
):
    before = export_csv(staff_client)
    response = import_csv(
        staff_client, f"sku,name,price,stock,reorder_level\nIN-1,Plenty,{cells}\nNEW-1,N,2.00,3,5\n"
    )
    assert "confirm_form" not in response.context
    result = response.context["result"]
    assert [(row.number, row.field_specific_errors) for row in result.invalid_rows] == [
        (1, {field: [message]})
    ]
    assert export_csv(staff_client) == before
    assert not Product.objects.filter(sku="NEW-1").exists()


def test_staff_cannot_import_or_export_without_permissions(client, django_user_model, product):
    user = django_user_model.objects.create_user("visitor", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(f"{PRODUCTS}import/").status_code == 403
    assert client.get(f"{PRODUCTS}export/").status_code == 403


# --- Stock movements (the ledger, read-only) -----------------------------------------------


def test_movement_changelist_filters_by_reason_and_product(staff_client, product, make_product):
    other = make_product(sku="OTHER", stock=4)
    staff_client.post(
        f"{PRODUCTS}{product.pk}/adjust-stock/",
        {"mode": "delta", "quantity": "5", "reason": "restock"},
    )
    response = staff_client.get(MOVEMENTS)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 3

    response = staff_client.get(MOVEMENTS, {"reason__exact": "restock"})
    assert [(m.product_id, m.delta) for m in response.context["cl"].result_list] == [
        (product.pk, 5)
    ]

    response = staff_client.get(MOVEMENTS, {"product": str(other.pk)})
    assert [(m.product_id, m.reason) for m in response.context["cl"].result_list] == [
        (other.pk, "initial")
    ]

    response = staff_client.get(MOVEMENTS, {"q": "OTHER"})
    assert [m.product_id for m in response.context["cl"].result_list] == [other.pk]

    response = staff_client.get(MOVEMENTS, {"product": "abc"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_movements_are_read_only(staff_client, admin_client, product):
    movement = product.movements.get()
    for client in (staff_client, admin_client):
        assert client.get(f"{MOVEMENTS}add/").status_code == 403
        assert client.get(f"{MOVEMENTS}{movement.pk}/delete/").status_code == 403
        response = client.post(f"{MOVEMENTS}{movement.pk}/change/", {"delta": "999"})
        assert response.status_code == 403
    movement.refresh_from_db()
    assert movement.delta == 50


def test_confirm_step_rolls_back_everything_when_a_row_fails(staff_client, catalog):
    # The file changed (or the data did) between the preview and the confirm: still all or nothing.
    storage = TempFolderStorage(encoding="utf-8-sig", read_mode="r")
    storage.save(
        b"sku,name,price,stock,reorder_level\nIN-1,Plenty,19.99,1,5\nLOW-1,Few left,19.99,-3,5\n"
    )
    before = export_csv(staff_client)
    response = staff_client.post(
        f"{PRODUCTS}process_import/",
        {
            "import_file_name": storage.name,
            "original_file_name": "p.csv",
            "format": "0",
            "resource": "0",
        },
        follow=True,
    )
    assert response.redirect_chain == [(f"{PRODUCTS}import/", 302)]
    assert messages_of(response) == [
        "Nothing was imported. row 2: stock: Ensure this value is greater than or equal to 0."
    ]
    assert export_csv(staff_client) == before


def test_an_archived_product_is_view_only_until_restored(staff_client, catalog):
    archived = catalog["archived"]
    response = staff_client.get(f"{PRODUCTS}{archived.pk}/change/")
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert "adjust-stock-link" not in response.content.decode()
    response = staff_client.post(
        f"{PRODUCTS}{archived.pk}/change/",
        {"sku": "OLD-1", "name": "Renamed", "price": "1.00", "reorder_level": "5"},
    )
    assert response.status_code == 403
    assert staff_client.get(f"{PRODUCTS}{archived.pk}/adjust-stock/").status_code == 403
    archived.refresh_from_db()
    assert (archived.name, archived.stock) == ("Retired", 3)


def test_a_sku_taken_after_the_form_check_becomes_a_message(staff_client, product, monkeypatch):
    # Another request takes the SKU between the form's check and the service's insert.
    monkeypatch.setattr("inventory.forms.product_sku_taken", lambda **kwargs: False)
    response = staff_client.post(
        f"{PRODUCTS}add/",
        {"sku": "PROD-001", "name": "Twin", "price": "1.00", "stock": "1", "reorder_level": "5"},
        follow=True,
    )
    assert response.status_code == 200
    assert messages_of(response) == ["Not saved: Product with SKU 'PROD-001' already exists"]
    assert Product.objects.count() == 1


@pytest.mark.parametrize("url", [PRODUCTS, MOVEMENTS])
def test_changelist_query_count_does_not_grow_with_rows(staff_client, make_product, url):
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(url)
        assert response.status_code == 200
        return len(captured)

    for _ in range(3):
        make_product()
    few = queries_for_page()
    for _ in range(30):
        make_product()
    assert queries_for_page() == few


@pytest.mark.parametrize(
    "codenames", [["view_product", "change_product"], ["view_product", "add_product"]]
)
def test_import_needs_both_add_and_change(client, django_user_model, codenames):
    user = django_user_model.objects.create_user("half", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    assert client.get(f"{PRODUCTS}import/").status_code == 403
    assert client.get(f"{PRODUCTS}export/").status_code == 200
