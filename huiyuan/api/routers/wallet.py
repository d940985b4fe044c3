"""储值与计次 calls of API.md: thin wrappers over `wallet.services`."""

from ninja import Router

router = Router(tags=["储值与计次"])
