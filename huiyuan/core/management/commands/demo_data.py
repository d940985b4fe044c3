from django.core.management.base import BaseCommand

from huiyuan.catalog import demo as catalog_demo
from huiyuan.coupons import demo as coupons_demo
from huiyuan.gifts import demo as gifts_demo
from huiyuan.inventory import demo as inventory_demo
from huiyuan.members import demo as members_demo
from huiyuan.points import demo as points_demo
from huiyuan.promotions import demo as promotions_demo
from huiyuan.sales import demo as sales_demo
from huiyuan.staff import demo as staff_demo
from huiyuan.tiers import demo as tiers_demo
from huiyuan.wallet import demo as wallet_demo


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）/ Load demo data (idempotent) and print the logins."

    def handle(self, *args, **options):
        logins = staff_demo.load()
        members_demo.load()
        # Points before wallet and tiers: the tier review measures the points history, and a
        # member who already holds points (e.g. from top-ups) gets no purchase history.
        points_demo.load()
        wallet_demo.load()
        tiers_demo.load()
        catalog_demo.load()
        inventory_demo.load()
        # Promotions create the member day and its coupon templates; coupons come after the
        # members (who would otherwise all get the new-member coupon); gifts need stock and points.
        promotions_demo.load()
        coupons_demo.load()
        gifts_demo.load()
        sales_demo.load()  # a year of orders, through place_order: after everything it sells
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 / demo data ready"))
        self.stdout.write("后台登录（每个角色一个）/ back-office logins, one per role:")
        for role, username, password in logins:
            self.stdout.write(f"  {username:<16} {password:<12} {role}")
        self.stdout.write(f"  其他门店同理 / other stores alike: {staff_demo.OTHER_STORES_HINT}")
