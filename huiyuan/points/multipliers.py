"""Points multipliers: tiers, birthdays, double-points days and (later) promotions register a
provider; `points_for_purchase` collects and combines them.

How they combine: within one kind the highest wins (a tier's birthday multiplier and the program's
default birthday multiplier are both kind "birthday": the member gets the higher one); across
kinds they multiply (金卡 ×1.5 on a 双倍积分日 ×2 earns ×3). The product is applied once to the
order's base points and rounded down.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Multiplier:
    kind: str  # "tier" | "birthday" | "day" | "promotion"
    label: str
    permille: int  # 2000 = ×2


Provider = Callable[..., list[Multiplier]]  # provider(member, store, at: datetime)
PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider (once, even if an AppConfig.ready runs twice)."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def collect(member, store, at: datetime.datetime) -> list[Multiplier]:
    return [found for provider in PROVIDERS for found in provider(member, store, at)]


def combine(multipliers: list[Multiplier]) -> list[Multiplier]:
    """The multipliers that apply: the highest of each kind, ignoring those that don't raise."""
    best: dict[str, Multiplier] = {}
    for multiplier in multipliers:
        current = best.get(multiplier.kind)
        if current is None or multiplier.permille > current.permille:
            best[multiplier.kind] = multiplier
    return [multiplier for multiplier in best.values() if multiplier.permille > 1000]


def apply(points: int, applied: list[Multiplier]) -> int:
    """`points` times every applied multiplier, rounded down once."""
    numerator, denominator = points, 1
    for multiplier in applied:
        numerator *= multiplier.permille
        denominator *= 1000
    return numerator // denominator


def is_birthday(member, at: datetime.datetime | datetime.date) -> bool:
    """Whether `at` is in the member's birthday day or month, by the program's birthday mode.
    A 29 February birthday is celebrated on 28 February in other years."""
    from huiyuan.points.models import PointsProgram

    if member.birthday is None:
        return False
    day = timezone.localdate(at) if isinstance(at, datetime.datetime) else at
    birthday = member.birthday
    if PointsProgram.current().birthday_mode == PointsProgram.BirthdayMode.MONTH:
        return day.month == birthday.month
    if (birthday.month, birthday.day) == (2, 29) and not _is_leap(day.year):
        return (day.month, day.day) == (2, 28)
    return (day.month, day.day) == (birthday.month, birthday.day)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
