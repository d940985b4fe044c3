from tests.sales.fixtures import (  # noqa: F401 (fixtures)
    earn_rule,
    give,
    gold_member,
    goods,
    member,
    member_day,
    on_tuesday,
    promo,
    quoting,
    template,
)
