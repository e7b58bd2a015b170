"""The public Python API of ``renewal_xl`` is pinned: adding a name is a decision, removing
one breaks users' scripts (chainladder's ``test_public_api`` in the model codebases)."""

import renewal_xl

PUBLIC = [
    "Catalogue",
    "InputError",
    "Priced",
    "RenewalError",
    "Tariff",
    "TariffError",
    "default_tariff",
    "load_catalogue",
    "price_arrays",
    "price_frame",
    "quote",
    "read_register",
    "read_tracking",
]


def test_the_public_names_are_pinned():
    assert renewal_xl.__all__ == PUBLIC


def test_every_public_name_resolves():
    for name in PUBLIC:
        assert getattr(renewal_xl, name) is not None, name
    assert renewal_xl.quote.__module__ == "renewal_xl.pricing.price"


def test_an_unknown_name_is_an_attribute_error():
    try:
        renewal_xl.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("renewal_xl.no_such_name resolved")
