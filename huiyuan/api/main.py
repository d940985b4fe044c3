"""The POS API at /api/v1 (API.md). One router module per app under `routers/`."""

from ninja import NinjaAPI

from huiyuan import __version__
from huiyuan.api.conventions import ApiKeyAuth, JsonOnlyParser, install_error_handlers
from huiyuan.api.routers import (
    cards,
    checkout,
    coupons,
    gifts,
    members,
    orders,
    points,
    products,
    promotions,
    returns,
    system,
    tiers,
    wallet,
)


def build_api(urls_namespace: str) -> NinjaAPI:
    """A NinjaAPI with the conventions of API.md, routers not yet added."""
    api = NinjaAPI(
        title="huiyuan 会员管理系统 API",
        version=__version__,
        description="POS 与外部系统接口。认证：`Authorization: Bearer <API 密钥>`。见 API.md。",
        auth=ApiKeyAuth(),
        parser=JsonOnlyParser(),
        urls_namespace=urls_namespace,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    install_error_handlers(api)
    return api


api = build_api("api-v1")
api.add_router("", system.router)
api.add_router("", members.router)
api.add_router("", cards.router)
api.add_router("", points.router)
api.add_router("", wallet.router)
api.add_router("", tiers.router)
api.add_router("", products.router)
api.add_router("", promotions.router)
api.add_router("", coupons.router)
api.add_router("", checkout.router)
api.add_router("", gifts.router)
api.add_router("", orders.router)
api.add_router("", returns.router)
