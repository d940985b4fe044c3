"""A member's whole stored-value and count-card ledgers: filterable pages, and the same lists as
xlsx (`?export=xlsx`)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyuan.core.pages import paginate, permission_page
from huiyuan.members.models import Member
from huiyuan.wallet import exports, selectors
from huiyuan.wallet.forms import CountCardLedgerFilterForm, StoredValueLedgerFilterForm


@permission_page("wallet.view_storedvalueaccount")
def stored_value(request, member_no):
    member = get_object_or_404(Member, member_no=member_no)
    form = StoredValueLedgerFilterForm(request.GET or None)
    entries = selectors.stored_value_ledger(member, **(form.filters() if form.is_bound else {}))
    return _page(
        request, member, form, entries, _("储值流水"), "stored-value", exports.STORED_VALUE_COLUMNS
    )


@permission_page("wallet.view_countcardholding")
def count_cards(request, member_no):
    member = get_object_or_404(Member, member_no=member_no)
    form = CountCardLedgerFilterForm(request.GET or None)
    entries = selectors.count_card_ledger(member, **(form.filters() if form.is_bound else {}))
    return _page(
        request, member, form, entries, _("计次流水"), "count-cards", exports.COUNT_CARD_COLUMNS
    )


def _page(request, member, form, entries, title, slug, columns):
    if request.GET.get("export") == "xlsx":
        content = exports.ledger_workbook(entries, title, columns)
        response = HttpResponse(content, content_type=exports.XLSX)
        name = f"{slug}-{member.member_no}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "wallet/ledger.html",
        {
            "member": member,
            "form": form,
            "page": paginate(request, entries),
            "title": title,
            "rows": f"wallet/_{slug.replace('-', '_')}_rows.html",
        },
    )
