"""A member's whole stored-value and count-card ledgers: filterable pages, and the same lists as
xlsx (`?export=xlsx`)."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from huiyuan.core import xlsx
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
        return xlsx.download(xlsx.member_workbook(member, title, columns, entries), slug, member)
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
