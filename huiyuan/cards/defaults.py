"""The card type every installation starts with, so members can be registered at once."""

STANDARD_CARD_TYPE = {
    "code": "STD",
    "name": "普通会员卡",
    "has_points": True,
    "number_prefix": "8800",
    "number_length": 12,
    "media": ["e_card", "magnetic", "ic"],
}


def ensure_standard_card_type(card_type_model):
    """Used by the data migration (historical model) and by tests after a database flush."""
    code = STANDARD_CARD_TYPE["code"]
    defaults = {k: v for k, v in STANDARD_CARD_TYPE.items() if k != "code"}
    return card_type_model.objects.get_or_create(code=code, defaults=defaults)[0]
