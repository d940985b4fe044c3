"""积分 calls of API.md: thin wrappers over `points.services`."""

from ninja import Router

router = Router(tags=["积分"])
