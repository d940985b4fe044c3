"""Desk pages: the member page's stored-value and count-card panel, top-up with its slip, refund,
count-card sale and use, the payment password (the ledgers: `ledger_views.py`).

Thin: every write is a `wallet.services` call; a refusal is shown next to its field.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyuan.core.actors import Actor
from huiyuan.core.errors import DomainError
from huiyuan.core.pages import permission_page, show_domain_error
from huiyuan.members.models import Member
from huiyuan.members.views import desk_lookup
from huiyuan.wallet import rules, selectors, services
from huiyuan.wallet.forms import (
    PaymentPasswordForm,
    RefundForm,
    SellCountCardForm,
    TopUpForm,
    UseCountCardForm,
)
from huiyuan.wallet.models import TopUp

RECENT = 10


def _member(member_no: str) -> Member:
    return get_object_or_404(Member.objects.select_related("store"), member_no=member_no)


def _back_to_member(member: Member):
    return redirect(f"{reverse('members:detail', args=[member.member_no])}#wallet")


@permission_page("wallet.view_storedvalueaccount")
def member_panel(request, member_no):
    """The member page's 储值与计次 panel (loaded by htmx)."""
    member = _member(member_no)
    principal, bonus = selectors.stored_value_of(member)
    return render(
        request,
        "wallet/_member_panel.html",
        {
            "member": member,
            "principal": principal,
            "bonus": bonus,
            "total": principal + bonus,
            "topups": member.topups.select_related("operator", "store")[:RECENT],
            "entries": selectors.stored_value_ledger(member)[:RECENT],
            "holdings": selectors.count_cards_of(member),
            "count_entries": selectors.count_card_ledger(member)[:RECENT],
            "use_form": UseCountCardForm(),
            "password_form": PaymentPasswordForm(),
            "today": timezone.localdate(),
        },
    )


@permission_page("wallet.add_topup")
def desk(request):
    """会员充值: find the member (card, phone, member number, e-card) and go to their top-up."""
    return desk_lookup(request, "wallet:top_up", "wallet/desk.html")


@permission_page("wallet.add_topup")
def top_up(request, member_no):
    member = _member(member_no)
    form = TopUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topup = services.top_up(
                actor=Actor.from_request(request), member=member, **form.cleaned_data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            slip = reverse("wallet:slip", args=[topup.number])
            messages.success(
                request,
                format_html(
                    '{} <a href="{}" target="_blank" rel="noopener" data-testid="slip-link">{}</a>',
                    _("充值成功：本金 %(amount)s，赠送 %(bonus)s。")
                    % {
                        "amount": rules.short_yuan(topup.amount_fen),
                        "bonus": rules.short_yuan(topup.bonus_fen),
                    },
                    slip,
                    _("打印充值单"),
                ),
            )
            return _back_to_member(member)
    principal, bonus = selectors.stored_value_of(member)
    in_force = rules.in_force(timezone.localdate()).order_by("threshold_fen")
    return render(
        request,
        "wallet/top_up.html",
        {
            "member": member,
            "form": form,
            "principal": principal,
            "bonus": bonus,
            "rules": [(rule, rules.example(rule)) for rule in in_force],
        },
    )


@permission_page("wallet.view_topup")
def slip(request, number):
    """The printable top-up slip (充值单)."""
    topup = get_object_or_404(
        TopUp.objects.select_related("member", "store", "operator", "rule"), number=number
    )
    principal, bonus = selectors.stored_value_of(topup.member)
    return render(
        request, "wallet/slip.html", {"topup": topup, "principal": principal, "bonus": bonus}
    )


@permission_page("wallet.refund_topup")
def refund(request, number):
    topup = get_object_or_404(TopUp.objects.select_related("member", "rule"), number=number)
    form = RefundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.refund_top_up(
                actor=Actor.from_request(request), topup=topup, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("充值单 %(no)s 已退款") % {"no": topup.number})
            return _back_to_member(topup.member)
    principal, bonus = selectors.stored_value_of(topup.member)
    quote = services.refund_quote(topup, bonus)
    context = {"topup": topup, "form": form, "principal": principal, "bonus": bonus}
    return render(request, "wallet/refund.html", {**context, "quote": quote})


@permission_page("wallet.add_countcardholding")
def sell_count_card(request, member_no):
    member = _member(member_no)
    form = SellCountCardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holding = services.sell_count_card(
                actor=Actor.from_request(request), member=member, **form.cleaned_data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("已售出 %(name)s（%(uses)s 次）")
                % {"name": holding.package.name, "uses": holding.uses},
            )
            return _back_to_member(member)
    return render(request, "wallet/sell_count_card.html", {"member": member, "form": form})


@require_POST
@permission_page("wallet.use_countcardholding")
def use_count_card(request, member_no, pk):
    member = _member(member_no)
    form = UseCountCardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("次数必须是 1 至 10000 的整数"))
        return _back_to_member(member)
    try:
        holding = services.use_count_card(
            actor=Actor.from_request(request),
            member=member,
            holding_id=pk,
            uses=form.cleaned_data["uses"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s 已使用 %(uses)s 次，剩余 %(remaining)s 次")
            % {
                "name": holding.package.name,
                "uses": form.cleaned_data["uses"],
                "remaining": holding.remaining,
            },
        )
    return _back_to_member(member)


@require_POST
@permission_page("wallet.set_payment_password")
def payment_password(request, member_no):
    """Set (6 digits) or clear the password; the service checks the format."""
    member = _member(member_no)
    password = request.POST.get("password", "")[:20]
    try:
        services.set_payment_password(
            actor=Actor.from_request(request), member=member, password=password
        )
    except DomainError as error:
        messages.error(request, error.fields.get("password") or error.message)
    else:
        messages.success(request, _("支付密码已设置") if password else _("支付密码已取消"))
    return _back_to_member(member)
