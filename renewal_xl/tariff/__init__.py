"""Tariffs as data: reading, validating, compiling and choosing versions by date."""

from renewal_xl.tariff.catalogue import Catalogue, catalogue, default_tariff, load_catalogue, load_tariff
from renewal_xl.tariff.model import Tariff

__all__ = ["Catalogue", "Tariff", "catalogue", "default_tariff", "load_catalogue", "load_tariff"]
