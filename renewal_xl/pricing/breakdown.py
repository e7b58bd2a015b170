"""The premium breakdown of one quote, as the worksheet function and reports show it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from renewal_xl import vocabulary
from renewal_xl.money import COEF, cents_to_decimal
from renewal_xl.tariff.coverage import ITEMS

TOTAL_LABEL = "险种保费合计(未乘系数)"  # the sum of the coverages before NCD and coefficients (manual §5)

# breakdown column -> coverage code (for the Chinese name)
_ITEM_CODE = {item.column: item.code for item in vocabulary.ITEMS}


@dataclass(frozen=True)
class Breakdown:
    """Every step of one premium (tariff manual §3–§7). Money in yuan as Decimal."""

    tariff_id: str
    actual_value: Decimal
    insured_amount: Decimal | None  # None when the quote has no 车损
    indemnity_ratio: Decimal
    items: tuple[tuple[str, Decimal], ...]  # (coverage code, premium) in the manual's order
    free_rider: str  # coverage code waived, '' when none
    waived: Decimal
    total: Decimal
    ncd: Decimal
    underwriting_coef: Decimal
    channel_coef: Decimal
    premium: Decimal
    voucher: Decimal

    @classmethod
    def from_priced(cls, p, i: int) -> Breakdown:
        """Row ``i`` of a :class:`~renewal_xl.pricing.price.Priced` result."""
        return cls.of(
            p.tariff_id[i],
            {name: values[i] for name, values in p.money.items()},
            {name: values[i] for name, values in p.present.items()},
            p.free_rider[i],
            p.ncd[i],
            p.underwriting_coef[i],
            p.channel_coef[i],
            p.indemnity_ratio[i],
        )

    @classmethod
    def of(cls, tariff_id, money, present, free_rider, ncd, underwriting_coef, channel_coef, indemnity_ratio):
        """One priced quote from its scaled values (money in fen, factors in ten-thousandths)."""
        m = {name: cents_to_decimal(fen) for name, fen in money.items()}
        return cls(
            tariff_id=tariff_id,
            actual_value=m["actual_value"],
            insured_amount=m["insured_amount"] if present["insured_amount"] else None,
            indemnity_ratio=Decimal(str(indemnity_ratio)),
            items=tuple((code, m[col]) for col, code in _ITEM_CODE.items() if present[col]),
            free_rider=free_rider,
            waived=m["waived"],
            total=m["total"],
            ncd=Decimal(int(ncd)).scaleb(-COEF).normalize(),
            underwriting_coef=Decimal(int(underwriting_coef)).scaleb(-COEF).normalize(),
            channel_coef=Decimal(int(channel_coef)).scaleb(-COEF).normalize(),
            premium=m["premium"],
            voucher=m["voucher"],
        )

    def item(self, code: str) -> Decimal | None:
        """The premium of coverage ``code`` (e.g. ``"DAMAGE"``), None when absent."""
        return dict(self.items).get(code)

    def rows(self) -> list[tuple[str, object]]:
        """Two columns for PREMIUM_BREAKDOWN: Chinese label, amount or factor."""
        out: list[tuple[str, object]] = [("实际价值", self.actual_value)]
        if self.insured_amount is not None:
            out.append(("车损保险金额", self.insured_amount))
        out += [(ITEMS[code][0], amount) for code, amount in self.items]
        if self.free_rider:
            out.append((f"续保免费{ITEMS[self.free_rider][0]}", -self.waived))
        out += [
            (TOTAL_LABEL, self.total),
            ("无赔款优待系数", self.ncd),
            ("自主核保系数", self.underwriting_coef),
            ("自主渠道系数", self.channel_coef),
            ("保费", self.premium),
            ("代金券", self.voucher),
        ]
        if self.insured_amount is not None:
            out.append(("足额比例", self.indemnity_ratio))
        out.append(("费率表", self.tariff_id))
        return out
