"""The five stock documents as the pages see them: address slug, model, title, icon and the
service functions of each step (`None`: the document has no such step)."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from huiyuan.inventory import documents, stocktakes, transfers
from huiyuan.inventory.models import (
    PurchaseReceipt,
    Stocktake,
    SupplierReturn,
    Transfer,
    WriteOff,
)


@dataclass(frozen=True)
class DocumentKind:
    slug: str
    model: Any
    title: Any
    icon: str
    confirm: Any
    cancel: Any
    ship: Any = None
    receive: Any = None

    @property
    def ships(self) -> bool:
        """A transfer: it has 发货 and 收货 (templates call functions, so they ask this)."""
        return self.ship is not None


KINDS = {
    kind.slug: kind
    for kind in (
        DocumentKind(
            "receipts",
            PurchaseReceipt,
            _("进货单"),
            "box-arrow-in-down",
            documents.confirm_document,
            documents.cancel_document,
        ),
        DocumentKind(
            "returns",
            SupplierReturn,
            _("退货单"),
            "box-arrow-up",
            documents.confirm_document,
            documents.cancel_document,
        ),
        DocumentKind(
            "transfers",
            Transfer,
            _("调拨单"),
            "truck",
            transfers.confirm_transfer,
            transfers.cancel_transfer,
            transfers.ship_transfer,
            transfers.receive_transfer,
        ),
        DocumentKind(
            "stocktakes",
            Stocktake,
            _("盘点单"),
            "clipboard-check",
            stocktakes.confirm_stocktake,
            stocktakes.cancel_stocktake,
        ),
        DocumentKind(
            "write-offs",
            WriteOff,
            _("报损单"),
            "trash3",
            documents.confirm_document,
            documents.cancel_document,
        ),
    )
}
