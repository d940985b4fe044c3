"""The redemption list as xlsx: one row per gift line, with its bill's number, time and who."""

from django.utils.translation import gettext_lazy as _

from huiyuan.core import xlsx


def _bill(attribute):
    return lambda line: attribute(line.redemption)


COLUMNS = [
    (_("兑换单号"), lambda line: line.redemption.number),
    (_("时间"), _bill(xlsx.when)),
    (_("门店"), _bill(xlsx.where)),
    (_("会员号"), lambda line: line.redemption.member.member_no),
    (_("姓名"), lambda line: line.redemption.member.name),
    (_("礼品"), lambda line: line.name),
    (_("礼品类型"), lambda line: line.get_kind_display()),
    (_("商品编码"), lambda line: line.product_code),
    (_("数量"), lambda line: line.qty),
    (_("单价积分"), lambda line: line.points_each),
    (_("积分小计"), lambda line: line.points_total),
    (_("券号"), lambda line: " ".join(line.coupon_codes)),
    (_("操作员"), _bill(xlsx.who)),
]
