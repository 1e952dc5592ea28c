"""If-Match, read by the HTTP layer into the versions a service compares under its row lock."""

import pytest
from django.test import RequestFactory

from webstore.api.conditional import if_match_versions


@pytest.mark.parametrize(
    "header, versions",
    [
        (None, None),
        ("*", None),
        ('"a"', {"a"}),
        ('"a", W/"b" ,"c"', {"a", "c"}),
        ('W/"a"', set()),
        ("a", set()),
        ("", set()),
    ],
    ids=["absent", "any", "one", "several-weak-skipped", "weak", "unquoted", "empty"],
)
def test_if_match_becomes_the_expected_versions(header, versions):
    headers = {} if header is None else {"HTTP_IF_MATCH": header}
    assert if_match_versions(RequestFactory().patch("/products/1", **headers)) == versions
