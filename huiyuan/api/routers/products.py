"""Products (API.md "Products"): thin wrappers over `catalog.selectors`."""

from ninja import Router

router = Router(tags=["商品"])
