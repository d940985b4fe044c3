"""会员等级 calls of API.md: thin wrappers over `tiers.services`."""

from ninja import Router

router = Router(tags=["会员等级"])
