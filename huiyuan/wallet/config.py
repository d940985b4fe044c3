"""What marketing configures: top-up bonus rules, count-card packages, the stored-value settings.
Each save is validated (a clear message on its field) and audited."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from huiyuan.core import audit
from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.wallet import rules
from huiyuan.wallet.models import CountCardPackage, TopUpBonusRule, WalletSettings

RULE_FIELDS = [
    "name",
    "threshold_fen",
    "bonus_fen",
    "starts_on",
    "ends_on",
    "tiers",
    "once_per_member",
    "is_active",
]
PACKAGE_FIELDS = [
    "code",
    "name",
    "covers",
    "uses",
    "price_fen",
    "validity_days",
    "validity_months",
    "is_active",
]
SETTINGS_FIELDS = ["spending_order", "password_required", "topup_points_per_yuan"]


@transaction.atomic
def save_bonus_rule(
    *, actor: Actor, rule: TopUpBonusRule | None = None, **fields
) -> TopUpBonusRule:
    """Create (rule=None) or change a rule; RULE_OVERLAP when it would be ambiguous."""
    rule = rule or TopUpBonusRule()
    for name in ("threshold_fen", "bonus_fen"):
        if fields.get(name) is not None and fields[name] <= 0:
            raise DomainError("VALIDATION_ERROR", fields={name: _("必须大于 0")})
    tiers = fields.pop("tiers", None)
    if tiers is None:
        tiers = list(rule.tiers.all()) if rule.pk else []
    rules.check_overlap(_assigned(rule, fields), tiers)
    return _save(actor, rule, RULE_FIELDS, "wallet.bonus_rule", many={"tiers": tiers})


@transaction.atomic
def save_package(
    *, actor: Actor, package: CountCardPackage | None = None, **fields
) -> CountCardPackage:
    package = package or CountCardPackage()
    _assigned(package, fields)
    package.code = package.code.strip().upper()
    if package.validity_days and package.validity_months:
        message = _("有效天数和有效月数只能填一项")
        raise DomainError("VALIDATION_ERROR", fields={"validity_months": message})
    if not package.uses:
        raise DomainError("VALIDATION_ERROR", fields={"uses": _("次数必须大于 0")})
    clash = CountCardPackage.objects.filter(code=package.code).exclude(pk=package.pk)
    if clash.exists():
        raise DomainError("VALIDATION_ERROR", fields={"code": _("编码已被其他套餐使用")})
    return _save(actor, package, PACKAGE_FIELDS, "wallet.package")


@transaction.atomic
def save_settings(*, actor: Actor, **fields) -> WalletSettings:
    settings = WalletSettings.current()
    settings = WalletSettings.objects.select_for_update().get(pk=settings.pk)
    return _save(actor, _assigned(settings, fields), SETTINGS_FIELDS, "wallet.settings")


def _assigned(instance: models.Model, fields: dict) -> models.Model:
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


def _save(actor: Actor, instance: models.Model, names: list[str], action: str, many=None):
    """Validate, save (and set the many-to-many `many`), audit only what changed."""
    before = (
        {}
        if instance.pk is None
        else audit.snapshot(type(instance).objects.get(pk=instance.pk), names)
    )
    try:
        instance.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise DomainError.from_validation(exc) from exc
    instance.save()
    for name, values in (many or {}).items():
        getattr(instance, name).set(values)
    old, new = audit.changes(before, audit.snapshot(instance, names))
    audit.record(actor, action, instance, before=old or None, after=new)
    return instance
