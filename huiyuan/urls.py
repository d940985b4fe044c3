from django.urls import include, path

from huiyuan.api.main import api

urlpatterns = [
    path("", include("huiyuan.core.urls")),
    path("staff/", include("huiyuan.staff.urls")),
    path("api-keys/", include("huiyuan.api.urls")),
    path("members/import/", include("huiyuan.members.import_urls")),
    path("member-tags/", include("huiyuan.members.tag_urls")),
    path("members/", include("huiyuan.members.urls")),
    path("cards/ecard/", include("huiyuan.cards.ecard_urls")),
    path("cards/", include("huiyuan.cards.urls")),
    path("card-types/", include("huiyuan.cards.card_type_urls")),
    path("points/", include("huiyuan.points.urls")),
    path("wallet/", include("huiyuan.wallet.urls")),
    path("tiers/", include("huiyuan.tiers.urls")),
    path("catalog/", include("huiyuan.catalog.urls")),
    path("inventory/", include("huiyuan.inventory.urls")),
    path("promotions/", include("huiyuan.promotions.urls")),
    path("coupons/", include("huiyuan.coupons.urls")),
    path("gifts/", include("huiyuan.gifts.urls")),
    path("till/", include("huiyuan.sales.till_urls")),
    path("orders/", include("huiyuan.sales.orders_urls")),
    path("returns/", include("huiyuan.sales.returns_urls")),
    path("shifts/", include("huiyuan.sales.shifts_urls")),
    path("bills/", include("huiyuan.sales.bills_urls")),
    path("", include("huiyuan.portal.urls")),
    path("dev/", include("huiyuan.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

handler403 = "huiyuan.core.views.error_403"
handler404 = "huiyuan.core.views.error_404"
handler500 = "huiyuan.core.views.error_500"
